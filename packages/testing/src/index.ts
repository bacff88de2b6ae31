export type { CreateContextOptions, TestLambdaContext } from './create-context.js';
export { createContext } from './create-context.js';
export type { InvokeOptions, InvokeResult } from './invoke.js';
export { invoke } from './invoke.js';
