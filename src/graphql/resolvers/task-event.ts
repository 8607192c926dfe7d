import type { WireErrorEvent, WireMessageEvent, WireStageEvent } from '../../director/types.js';
import type {
  TaskDeprecationEventResolvers,
  TaskErrorEventResolvers,
  TaskEventResolvers,
  TaskStageEventResolvers,
  TaskStageState,
  TaskWarningEventResolvers,
} from '../../generated/resolvers.js';
import { encodeCursor } from '../../stream/cursor.js';
import { recordKind } from '../../stream/records.js';
import { epochToIso } from '../convert.js';
import type { TaskEventParent } from '../mappers.js';

const TYPENAMES = {
  stage: 'TaskStageEvent',
  error: 'TaskErrorEvent',
  warning: 'TaskWarningEvent',
  deprecation: 'TaskDeprecationEvent',
} as const;

const common = {
  time: (p: TaskEventParent) => epochToIso(p.record.time) ?? new Date(0).toISOString(),
  cursor: (p: TaskEventParent) => encodeCursor({ taskId: p.taskId, type: 'event', offset: p.end }),
};

export const TaskEvent: TaskEventResolvers = {
  __resolveType: (p) => TYPENAMES[recordKind(p.record)],
};

const stage = (p: TaskEventParent) => p.record as WireStageEvent;

export const TaskStageEvent: TaskStageEventResolvers = {
  ...common,
  stage: (p) => stage(p).stage,
  tags: (p) => stage(p).tags ?? [],
  total: (p) => stage(p).total ?? null,
  task: (p) => stage(p).task,
  index: (p) => stage(p).index,
  state: (p) => stage(p).state.toUpperCase() as TaskStageState,
  progress: (p) => stage(p).progress ?? 0,
  status: (p) => stage(p).data?.status ?? null,
  error: (p) => stage(p).data?.error ?? null,
};

export const TaskErrorEvent: TaskErrorEventResolvers = {
  ...common,
  code: (p) => (p.record as WireErrorEvent).error.code,
  message: (p) => (p.record as WireErrorEvent).error.message,
};

export const TaskWarningEvent: TaskWarningEventResolvers = {
  ...common,
  message: (p) => (p.record as WireMessageEvent).message,
};

export const TaskDeprecationEvent: TaskDeprecationEventResolvers = {
  ...common,
  message: (p) => (p.record as WireMessageEvent).message,
};
