/** The injection token of the validated AppConfig (bound once, at the top, by the composition). */
export const APP_CONFIG = Symbol('APP_CONFIG');
