/**
 * The fields an operation selects below the field being resolved, as the executor will run them:
 * fragments and inline fragments merged, `@skip` and `@include` honoured. Resolvers use it to
 * pick the cheapest Director route that answers everything asked (the REST floor).
 */
import {
  type FieldNode,
  GraphQLIncludeDirective,
  type GraphQLResolveInfo,
  GraphQLSkipDirective,
  getDirectiveValues,
  Kind,
  type SelectionSetNode,
} from 'graphql';

/** Field name to the nodes selecting it (aliases of one field share an entry). */
export type Selected = Map<string, FieldNode[]>;

/** The fields selected on the value of the field being resolved (`nodes` defaults to its own). */
export function selectedFields(
  info: GraphQLResolveInfo,
  nodes: readonly FieldNode[] = info.fieldNodes,
): Selected {
  const out: Selected = new Map();
  const visited = new Set<string>();
  const included = (node: Parameters<typeof getDirectiveValues>[1]) =>
    getDirectiveValues(GraphQLSkipDirective, node, info.variableValues)?.if !== true &&
    getDirectiveValues(GraphQLIncludeDirective, node, info.variableValues)?.if !== false;
  const collect = (set: SelectionSetNode | undefined) => {
    for (const selection of set?.selections ?? []) {
      if (!included(selection)) continue;
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        out.set(name, [...(out.get(name) ?? []), selection]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        collect(selection.selectionSet);
      } else {
        const name = selection.name.value;
        if (visited.has(name)) continue;
        visited.add(name);
        collect(info.fragments[name]?.selectionSet);
      }
    }
  };
  for (const node of nodes) collect(node.selectionSet);
  return out;
}

/** True when every selected field is one of `allowed`. */
export function onlyFrom(selected: Selected, allowed: ReadonlySet<string>): boolean {
  return [...selected.keys()].every((name) => allowed.has(name));
}
