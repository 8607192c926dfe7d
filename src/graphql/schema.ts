/**
 * The executable schema: the SDL files of schema/ (the source of truth, shipped beside dist/) with
 * the resolvers typed from them by graphql-codegen.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { resolvers } from './resolvers/index.js';

/** schema/ sits two levels above this file both in src/graphql and in dist/graphql. */
const SCHEMA_DIR = new URL('../../schema/', import.meta.url);

export function loadTypeDefs(): string[] {
  return readdirSync(SCHEMA_DIR)
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .map((file) => readFileSync(new URL(file, SCHEMA_DIR), 'utf8'));
}

export function createSchema(): GraphQLSchema {
  return makeExecutableSchema({ typeDefs: loadTypeDefs(), resolvers });
}
