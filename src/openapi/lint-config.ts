import { existsSync, statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { type Config, createConfig, findConfig, loadConfig } from '@redocly/openapi-core';
import { RateLimitContractError } from '../core/errors.js';

/** How much a problem weighs: errors fail `lint`, warnings only past `--max-warnings`. */
export type LintSeverity = 'error' | 'warn';

/** The Redocly rules `lint` runs, and where they came from. */
export interface LintConfig {
  redocly: Config;
  /** The config file (relative to the cwd when inside it), or `recommended` when the project has none. */
  source: string;
  /** The severity a rule id is configured with (`off` drops it), e.g. `x-rate-limit/rejection-example: warn`. */
  severityOf(rule: string, openapiVersion: string, fallback: LintSeverity): LintSeverity | 'off';
}

let recommended: Promise<Config> | undefined;

/** Redocly keys its rules per spec version; an OpenAPI 3.x document uses oas3_0, oas3_1 or oas3_2. */
function specVersionKey(openapiVersion: string): 'oas3_0' | 'oas3_1' | 'oas3_2' {
  if (openapiVersion.startsWith('3.1')) return 'oas3_1';
  if (openapiVersion.startsWith('3.2')) return 'oas3_2';
  return 'oas3_0';
}

function createSeverityOf(redocly: Config): LintConfig['severityOf'] {
  return (rule, openapiVersion, fallback) => {
    const rules = redocly.rules[specVersionKey(openapiVersion)] as Record<string, unknown> | undefined;
    const setting = rules?.[rule];
    // Redocly spells a rule's setting as a severity or as { severity, ...options }.
    const severity = typeof setting === 'object' && setting !== null ? (setting as { severity?: unknown }).severity : setting;
    return severity === 'off' || severity === 'warn' || severity === 'error' ? severity : fallback;
  };
}

/**
 * Loads the Redocly config `lint` runs with: `configFile` when given, else `redocly.yaml` in `cwd` (as
 * `redocly lint` finds it), else Redocly's `recommended` rules. Its `rules` may also set the severity of
 * the `x-rate-limit/*` rules (`off`, `warn`, `error`).
 */
export async function loadLintConfig(options: { configFile?: string; cwd?: string } = {}): Promise<LintConfig> {
  const cwd = options.cwd ?? process.cwd();
  const file = options.configFile ?? findConfig(cwd);
  if (file === undefined) {
    recommended ??= createConfig({ extends: ['recommended'] });
    const redocly = await recommended;
    return { redocly, source: 'recommended', severityOf: createSeverityOf(redocly) };
  }
  const path = resolve(cwd, file);
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw new RateLimitContractError(
      'ERR_RLC_USAGE',
      `Failed to read the Redocly config ${file}: ${existsSync(path) ? 'it is not a file' : 'no such file'}. Pass --config with the path of a redocly.yaml, or leave it out to use redocly.yaml in the current directory (else Redocly's recommended rules).`,
    );
  }
  let redocly: Config;
  try {
    redocly = await loadConfig({ configPath: path });
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0]?.replace(/\.$/, '');
    throw new RateLimitContractError(
      'ERR_RLC_USAGE',
      `Failed to load the Redocly config ${file}: ${reason}. Fix that file (see https://redocly.com/docs/cli/configuration).`,
    );
  }
  const shown = relative(cwd, path);
  return { redocly, source: shown.startsWith('..') ? path : shown, severityOf: createSeverityOf(redocly) };
}
