import type { ConfigProblems } from './env';

/** One start-up problem: the variable, what is wrong with it, and an example of a right value. */
export interface ConfigProblem {
  variable: string;
  problem: string;
  example: string;
}

export class ConfigProblemList implements ConfigProblems {
  readonly items: ConfigProblem[] = [];

  add(variable: string, problem: string, example: string): void {
    this.items.push({ variable, problem, example });
  }

  get empty(): boolean {
    return this.items.length === 0;
  }

  /** One line per problem, as printed before the process exits. */
  lines(): string[] {
    return this.items.map((p) => `${p.variable} ${p.problem} (example: ${p.example})`);
  }
}

/** Thrown by loadConfig when any variable is wrong; main.ts prints its lines and exits non-zero. */
export class ConfigError extends Error {
  constructor(readonly lines: string[]) {
    super(`invalid configuration:\n${lines.join('\n')}`);
    this.name = 'ConfigError';
  }
}
