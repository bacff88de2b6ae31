import { RESERVED_VARIABLES } from './lambda-environment.js';
import type { LocalAws } from './local-aws.js';

/** The caller's environment without Lambda's own variables, then the `--env-file`'s, then the local services'. */
export function sandboxEnvironment(fileEnv: Record<string, string>, localAws: LocalAws | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // Lambda's own variables come from the options, never from the shell that runs the CLI.
  for (const key of RESERVED_VARIABLES) delete env[key];
  Object.assign(env, fileEnv);
  if (localAws !== undefined) {
    // A profile or session token from the shell would send the SDK to a real account.
    delete env.AWS_PROFILE;
    delete env.AWS_SESSION_TOKEN;
    Object.assign(env, localAws.env);
  }
  return env;
}
