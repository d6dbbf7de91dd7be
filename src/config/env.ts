/** The process environment as configuration reads it: never written, every value possibly absent. */
export type Env = Readonly<Record<string, string | undefined>>;

/** Collects start-up configuration problems: one line each, naming the variable and a right value. */
export interface ConfigProblems {
  add(variable: string, problem: string, example: string): void;
}
