// `swr-registries/types`: the generated types of the spec, for other repos. Type-only: importing it
// costs nothing at run time (this module compiles to an empty one).
export type * from '../generated/schema.js';
