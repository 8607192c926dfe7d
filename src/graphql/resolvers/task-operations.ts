/** The `Task` fields of the operations endpoints (audit events, errand results); the core fields stay in task.ts. */
import type { WireErrandResult } from '../../director/types.js';
import type { TaskResolvers } from '../../generated/resolvers.js';
import { splitOutput } from '../../stream/records.js';

/** The Director's description of an errand run; task JSON has no type to tell it by. */
const ERRAND_RUN = /^run errand \S+ from deployment /;

function parseResult(text: string): WireErrandResult | undefined {
  try {
    const value = JSON.parse(text) as Partial<WireErrandResult>;
    return typeof value.errand_name === 'string' && typeof value.exit_code === 'number' && value.instance
      ? (value as WireErrandResult)
      : undefined;
  } catch {
    return undefined;
  }
}

export const TaskOperations: TaskResolvers = {
  directorEvents: (t, _args, { loaders }) => loaders.events.load({ task: String(t.id) }),
  // One JSON line per instance, written in parallel, so in no particular order: sorted here so
  // that the same run always reads the same. While the task runs, the lines so far.
  errandResults: async (t, _args, { loaders }) => {
    if (!ERRAND_RUN.test(t.description)) return null;
    const text = await loaders.taskOutput.load(`${t.id}:result`);
    return splitOutput(text)
      .flatMap((line) => parseResult(line.text) ?? [])
      .sort(
        (a, b) =>
          a.instance.group.localeCompare(b.instance.group) || a.instance.id.localeCompare(b.instance.id),
      );
  },
};
