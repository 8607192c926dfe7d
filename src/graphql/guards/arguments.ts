/**
 * Bounds on every argument, checked before any Director call (README, "Limits"). Without them a
 * 5 MB deployment name went to the Director as is, and was retried.
 *
 * - Strings and ids are short identifiers (BOSH names, task ids, states, context ids): at most
 *   128 characters, and no control characters, which no BOSH name contains.
 * - Free text marked `@text` in the SDL (manifests, config contents) is bounded by
 *   `--max-manifest-bytes` instead.
 * - Lists hold at most 100 items.
 *
 * Field-specific rules (a numeric task id, a context id of 64 characters) stay with their
 * resolvers; these bounds hold for every argument, present and future.
 */
import {
  type GraphQLArgument,
  type GraphQLError,
  type GraphQLInputField,
  type GraphQLInputType,
  getNullableType,
  isInputObjectType,
  isListType,
  isScalarType,
} from 'graphql';
import { badUserInput } from '../errors.js';
import type { FieldVisit, Visitor } from './walk.js';

export const MAX_NAME_LENGTH = 128;
export const MAX_LIST_ITEMS = 100;

/** True when `text` has a C0 control character or DEL (which could split a header or a log line). */
function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
const SHORT_SCALARS = new Set(['String', 'ID']);

function isText(definition: GraphQLArgument | GraphQLInputField): boolean {
  return definition.astNode?.directives?.some((d) => d.name.value === 'text') === true;
}

export class ArgumentBounds implements Visitor {
  /** The first argument out of bounds, if any. */
  error: GraphQLError | undefined;

  constructor(private readonly maxTextBytes: number) {}

  field({ field, args }: FieldVisit): number {
    if (this.error) return 1;
    for (const arg of field.args) {
      const problem = this.check(args[arg.name], arg.type, arg.name, isText(arg));
      if (problem) {
        this.error = badUserInput(`Argument ${problem.message} (field ${field.name}).`, {
          argument: problem.path,
          ...problem.extensions,
        });
        return 1;
      }
    }
    return 1;
  }

  private check(
    value: unknown,
    type: GraphQLInputType,
    path: string,
    text: boolean,
  ): { path: string; message: string; extensions: Record<string, number> } | undefined {
    if (value === null || value === undefined) return undefined;
    const bare = getNullableType(type);
    if (isListType(bare)) {
      if (!Array.isArray(value)) return undefined;
      if (value.length > MAX_LIST_ITEMS) {
        return {
          path,
          message: `"${path}" has ${value.length} items; lists hold at most ${MAX_LIST_ITEMS}`,
          extensions: { maxItems: MAX_LIST_ITEMS },
        };
      }
      for (const [i, item] of value.entries()) {
        const problem = this.check(item, bare.ofType, `${path}[${i}]`, text);
        if (problem) return problem;
      }
      return undefined;
    }
    if (isInputObjectType(bare)) {
      if (typeof value !== 'object') return undefined;
      for (const inner of Object.values(bare.getFields())) {
        const problem = this.check(
          (value as Record<string, unknown>)[inner.name],
          inner.type,
          `${path}.${inner.name}`,
          isText(inner),
        );
        if (problem) return problem;
      }
      return undefined;
    }
    if (!isScalarType(bare) || !SHORT_SCALARS.has(bare.name) || typeof value !== 'string') return undefined;
    if (text) {
      const bytes = Buffer.byteLength(value, 'utf8');
      if (bytes <= this.maxTextBytes) return undefined;
      return {
        path,
        message: `"${path}" is ${bytes} bytes; the gateway accepts at most ${this.maxTextBytes} (--max-manifest-bytes)`,
        extensions: { maxBytes: this.maxTextBytes },
      };
    }
    if (value.length > MAX_NAME_LENGTH) {
      return {
        path,
        message: `"${path}" is ${value.length} characters long; names and ids are at most ${MAX_NAME_LENGTH}`,
        extensions: { maxLength: MAX_NAME_LENGTH },
      };
    }
    if (hasControl(value)) {
      return {
        path,
        message: `"${path}" contains a control character, which no BOSH name has`,
        extensions: {},
      };
    }
    return undefined;
  }
}
