import { type Config, ConfigError, loadConfig } from '../../config/index.ts';

/** Loads the configuration, or prints every problem and sets exit code 2 (no stack trace for a typo). */
export function configOrExit(): Config | undefined {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exitCode = 2;
    return undefined;
  }
}
