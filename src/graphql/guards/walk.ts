/**
 * Walks an operation before it runs, field by field, with each field's arguments as the executor
 * will see them (variables and defaults applied), and how many times the field can resolve: the
 * product of the sizes of the lists above it. The call estimate and the argument bounds are two
 * visitors of this one walk (README, "Limits").
 *
 * Selections under type conditions are all visited, as if every condition matched: an estimate
 * must not be lower than what can happen. `@skip` and `@include` are honoured.
 */
import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  GraphQLIncludeDirective,
  type GraphQLNamedType,
  type GraphQLSchema,
  GraphQLSkipDirective,
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  getNullableType,
  getOperationAST,
  getVariableValues,
  isListType,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/** One object level of the walk: its type and how many such objects there can be. */
export interface Frame {
  type: GraphQLNamedType;
  count: number;
  /**
   * The field that returned these objects, with its arguments (absent for the root): a
   * connection's `first` sizes the `nodes` and `edges` below it.
   */
  field?: GraphQLField<unknown, unknown>;
  args?: Record<string, unknown>;
}

export interface FieldVisit {
  field: GraphQLField<unknown, unknown>;
  /** The field's arguments, coerced, with defaults. */
  args: Record<string, unknown>;
  /** The objects the field is selected on, innermost last: `frames.at(-1)` is its parent. */
  frames: readonly Frame[];
}

export interface Visitor {
  /** Called for each selected field; returns how many items a list field holds (1 for others). */
  field(visit: FieldVisit): number;
}

export type WalkFailure = { kind: 'variables' } | { kind: 'operation' };

/**
 * Walks the operation `operationName` of `document`. Returns a failure instead when the variables
 * or the operation are unusable: execution reports those itself, with better messages.
 */
export function walkOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  inputs: Record<string, unknown> | null | undefined,
  visitor: Visitor,
): WalkFailure | undefined {
  const operation = getOperationAST(document, operationName);
  if (!operation) return { kind: 'operation' };
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], inputs ?? {});
  if (coerced.errors) return { kind: 'variables' };
  const root = rootType(schema, operation);
  if (!root) return { kind: 'operation' };
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === 'FragmentDefinition') fragments.set(definition.name.value, definition);
  }
  const walker = new Walker(schema, fragments, coerced.coerced, visitor);
  walker.selections(operation.selectionSet, [{ type: root, count: 1 }], new Set());
  return undefined;
}

function rootType(schema: GraphQLSchema, operation: OperationDefinitionNode): GraphQLNamedType | undefined {
  if (operation.operation === 'query') return schema.getQueryType() ?? undefined;
  if (operation.operation === 'mutation') return schema.getMutationType() ?? undefined;
  return schema.getSubscriptionType() ?? undefined;
}

class Walker {
  constructor(
    private readonly schema: GraphQLSchema,
    private readonly fragments: Map<string, FragmentDefinitionNode>,
    private readonly variables: Record<string, unknown>,
    private readonly visitor: Visitor,
  ) {}

  selections(set: SelectionSetNode, frames: Frame[], spreading: Set<string>): void {
    const parent = frames.at(-1) as Frame;
    for (const selection of set.selections) {
      if (!this.included(selection)) continue;
      if (selection.kind === 'Field') {
        this.field(selection, parent.type, frames, spreading);
      } else if (selection.kind === 'InlineFragment') {
        this.selections(
          selection.selectionSet,
          this.narrowed(frames, selection.typeCondition?.name.value),
          spreading,
        );
      } else {
        const name = selection.name.value;
        const fragment = this.fragments.get(name);
        // A fragment that spreads itself is invalid; validation reports it.
        if (!fragment || spreading.has(name)) continue;
        const inner = new Set(spreading).add(name);
        this.selections(
          fragment.selectionSet,
          this.narrowed(frames, fragment.typeCondition.name.value),
          inner,
        );
      }
    }
  }

  /** Under `... on T`, the fields belong to T (as many objects as the enclosing level). */
  private narrowed(frames: Frame[], typeName: string | undefined): Frame[] {
    const type = typeName ? this.schema.getType(typeName) : undefined;
    if (!type) return frames;
    const parent = frames.at(-1) as Frame;
    return [...frames.slice(0, -1), { type, count: parent.count }];
  }

  private field(
    node: FieldNode,
    parentType: GraphQLNamedType,
    frames: Frame[],
    spreading: Set<string>,
  ): void {
    const name = node.name.value;
    if (name.startsWith('__')) return;
    const fields = 'getFields' in parentType ? parentType.getFields() : undefined;
    const field = fields?.[name] as GraphQLField<unknown, unknown> | undefined;
    if (!field) return;
    let args: Record<string, unknown>;
    try {
      args = getArgumentValues(field, node, this.variables);
    } catch {
      // A bad argument value: execution reports it.
      return;
    }
    const size = this.visitor.field({ field, args, frames });
    if (!node.selectionSet) return;
    const parent = frames.at(-1) as Frame;
    const isList = isListType(getNullableType(field.type));
    const child: Frame = {
      type: getNamedType(field.type),
      count: parent.count * (isList ? size : 1),
      field,
      args,
    };
    this.selections(node.selectionSet, [...frames, child], spreading);
  }

  private included(node: { directives?: readonly unknown[] | undefined }): boolean {
    if (!node.directives || node.directives.length === 0) return true;
    const target = node as Parameters<typeof getDirectiveValues>[1];
    const skip = getDirectiveValues(GraphQLSkipDirective, target, this.variables);
    if (skip?.if === true) return false;
    const include = getDirectiveValues(GraphQLIncludeDirective, target, this.variables);
    return include?.if !== false;
  }
}
