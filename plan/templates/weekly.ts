// The built-in weekly plan template (Mustache, logic-less); a workspace's own weekly.norg replaces it.
export const weekly = `@document.meta
title: {{title}}
@end

{{title}}: {{start}} to {{last}}

* Overdue
{{overdue}}

* Due this week
{{due}}

* Scheduled this week
{{scheduled}}

* In progress
{{started}}

* Waiting
{{waiting}}

* Carried over
{{carried}}

* Projects with no next action
{{projects}}

* Habits and progress
{{stats}}
`;
