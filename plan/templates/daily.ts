// The built-in daily plan template (Mustache, logic-less); a workspace's own daily.norg replaces it.
export const daily = `@document.meta
title: {{title}}
@end

{{title}}

* Overdue
{{overdue}}

* Due today
{{due}}

* Scheduled today
{{scheduled}}

* In progress
{{started}}

* Waiting
{{waiting}}

* Carried over
{{carried}}
`;
