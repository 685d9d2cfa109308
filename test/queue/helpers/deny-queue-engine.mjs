// Loaded with `node --import` by the CLI tests: any attempt to load bullmq or ioredis fails as if
// they were not installed, so a command that runs under it proves it never loads them.
import { register } from "node:module";

const hooks = `
export async function resolve(specifier, context, next) {
  if (/^(bullmq|ioredis)(\\/|$)/.test(specifier)) {
    const error = new Error("Cannot find package '" + specifier + "' (denied by the test)");
    error.code = "ERR_MODULE_NOT_FOUND";
    throw error;
  }
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
