/**
 * The Director-call estimate of an operation (README, "Limits"), from the `@directorCalls` and
 * `@listSize` directives of the SDL:
 *
 * - a field with `@directorCalls(calls: n)` costs n per object it is selected on;
 * - with `once: KEY`, it is one shared call for the whole operation, counted once per KEY;
 * - with `sharedBy: T`, it costs n per object of type T above it (a deployment's `format=full`
 *   task answers every VM of that deployment);
 * - a list multiplies what is below it by its `limit` argument (`slicingArgument`), or by its
 *   `assumedSize` when the Director does not bound it.
 *
 * The estimate is an upper bound where the lists are bounded, and an expectation where they are
 * assumed; each operation's scope also stops it at the limit as it runs
 * (docs/director-api-notes.md §13).
 */
import type { ConstDirectiveNode, GraphQLField } from 'graphql';
import type { FieldVisit, Visitor } from './walk.js';

interface FieldCost {
  calls: number;
  once?: string;
  sharedBy?: string;
}

interface ListSize {
  assumedSize?: number;
  slicingArgument?: string;
}

function directive(field: GraphQLField<unknown, unknown>, name: string): ConstDirectiveNode | undefined {
  return field.astNode?.directives?.find((d) => d.name.value === name);
}

/** The literal arguments of a directive in the SDL (ints and strings only). */
function literalArgs(node: ConstDirectiveNode | undefined): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  for (const arg of node?.arguments ?? []) {
    if (arg.value.kind === 'IntValue') out[arg.name.value] = Number(arg.value.value);
    else if (arg.value.kind === 'StringValue') out[arg.name.value] = arg.value.value;
  }
  return out;
}

/** Each field's directives, read once per field definition (the schema is built once). */
const costs = new WeakMap<GraphQLField<unknown, unknown>, { cost?: FieldCost; size?: ListSize }>();

function costOf(field: GraphQLField<unknown, unknown>): { cost?: FieldCost; size?: ListSize } {
  let known = costs.get(field);
  if (!known) {
    known = {};
    const calls = directive(field, 'directorCalls');
    if (calls) {
      const args = literalArgs(calls);
      known.cost = {
        calls: typeof args.calls === 'number' ? args.calls : 1,
        ...(typeof args.once === 'string' ? { once: args.once } : {}),
        ...(typeof args.sharedBy === 'string' ? { sharedBy: args.sharedBy } : {}),
      };
    }
    const size = directive(field, 'listSize');
    if (size) known.size = literalArgs(size) as ListSize;
    costs.set(field, known);
  }
  return known;
}

/** Counts an operation's Director calls as the walk visits its fields. */
export class CallEstimate implements Visitor {
  #perObject = 0;
  readonly #once = new Map<string, number>();

  get total(): number {
    let total = this.#perObject;
    for (const calls of this.#once.values()) total += calls;
    return total;
  }

  field({ field, args, frames }: FieldVisit): number {
    const { cost, size } = costOf(field);
    if (cost) {
      if (cost.once !== undefined) {
        this.#once.set(cost.once, Math.max(this.#once.get(cost.once) ?? 0, cost.calls));
      } else {
        const owner = cost.sharedBy
          ? ([...frames].reverse().find((frame) => frame.type.name === cost.sharedBy) ?? frames.at(-1))
          : frames.at(-1);
        this.#perObject += cost.calls * (owner?.count ?? 1);
      }
    }
    if (!size) return 1;
    const sliced = size.slicingArgument ? args[size.slicingArgument] : undefined;
    if (typeof sliced === 'number' && Number.isFinite(sliced)) return Math.max(0, sliced);
    return size.assumedSize ?? 1;
  }
}
