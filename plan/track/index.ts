export { parseRecurrence, type Rhythm } from './recur.js';
export { dayKey, habitFigures, habitPeriod, strengthByDay, type HabitInput, type HabitFigures } from './habits.js';
export {
  projectFigures,
  dayFigures,
  weekFigures,
  parseGoal,
  type Goal,
  type GoalFigures,
  type TrackTask,
  type ProjectFigures,
  type DayFigures,
  type WeekFigures,
} from './progress.js';
export { renderReport, type ReportData } from './report.js';
