// The built-in monthly plan template (Mustache, logic-less); a workspace's own monthly.norg replaces it.
export const monthly = `@document.meta
title: {{title}}
@end

{{title}}

* Overdue
{{overdue}}

* Due this month
{{due}}

* Scheduled this month
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
