/**
 * The Director-call estimate of an operation (README, "Limits"), from the `@directorCalls` and
 * `@listSize` directives of the SDL:
 *
 * - a field with `@directorCalls(calls: n)` costs n per object it is selected on;
 * - with `once: KEY`, it is one shared call for the whole operation, counted once per KEY;
 * - with `sharedBy: T`, it costs n per object of type T above it (a deployment's `format=full`
 *   task answers every VM of that deployment);
 * - a list multiplies what is below it by its `limit` argument (`slicingArgument`), or by its
 *   `assumedSize` when the Director does not bound it; a connection's `first` sizes the lists
 *   its `sizedFields` names (`nodes`, `edges`);
 * - with `pageSize: p`, a field reads its list in pages of at most p items, as many as its size
 *   asks for plus one to learn whether more exist: `floor(size / p) + 1` calls.
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
  pageSize?: number;
}

interface ListSize {
  assumedSize?: number;
  slicingArgument?: string;
  sizedFields?: string[];
}

function directive(field: GraphQLField<unknown, unknown>, name: string): ConstDirectiveNode | undefined {
  return field.astNode?.directives?.find((d) => d.name.value === name);
}

/** The literal arguments of a directive in the SDL (ints, strings and lists of strings only). */
function literalArgs(node: ConstDirectiveNode | undefined): Record<string, number | string | string[]> {
  const out: Record<string, number | string | string[]> = {};
  for (const arg of node?.arguments ?? []) {
    const value = arg.value;
    if (value.kind === 'IntValue') out[arg.name.value] = Number(value.value);
    else if (value.kind === 'StringValue') out[arg.name.value] = value.value;
    else if (value.kind === 'ListValue') {
      out[arg.name.value] = value.values.flatMap((v) => (v.kind === 'StringValue' ? [v.value] : []));
    }
  }
  return out;
}

/** The size a `@listSize` gives with these arguments: the slicing argument's value, else the assumed size. */
function sizeFrom(size: ListSize, args: Record<string, unknown> | undefined): number {
  const sliced = size.slicingArgument ? args?.[size.slicingArgument] : undefined;
  if (typeof sliced === 'number' && Number.isFinite(sliced)) return Math.max(0, sliced);
  return size.assumedSize ?? 1;
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
        ...(typeof args.pageSize === 'number' && args.pageSize > 0 ? { pageSize: args.pageSize } : {}),
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
      const calls =
        cost.pageSize !== undefined && size
          ? Math.floor(sizeFrom(size, args) / cost.pageSize) + 1
          : cost.calls;
      if (cost.once !== undefined) {
        this.#once.set(cost.once, Math.max(this.#once.get(cost.once) ?? 0, calls));
      } else {
        const owner = cost.sharedBy
          ? ([...frames].reverse().find((frame) => frame.type.name === cost.sharedBy) ?? frames.at(-1))
          : frames.at(-1);
        this.#perObject += calls * (owner?.count ?? 1);
      }
    }
    if (size) return sizeFrom(size, args);
    // `nodes` or `edges` of a connection: as many items as the connection field's size.
    const parent = frames.at(-1);
    const sized = parent?.field ? costOf(parent.field).size : undefined;
    if (sized?.sizedFields?.includes(field.name)) return sizeFrom(sized, parent?.args);
    return 1;
  }
}
