// The built-in review plan template (Mustache, logic-less); a workspace's own review.norg replaces it.
export const review = `@document.meta
title: {{title}}
@end

{{title}}: {{start}} to {{last}}

* Done this week
{{completed}}

* Overdue
{{overdue}}

* Due this week
{{due}}

* In progress
{{started}}

* Waiting
{{waiting}}

* Projects with no next action
{{projects}}

* Carried over from the last review
{{carried}}

* Habits and progress
{{stats}}
`;
