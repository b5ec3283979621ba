import type { Recogniser } from './recogniser.js'

/**
 * The recognisers the scanner drives over every stage log, in the order their findings are
 * listed. A new log format is a new module beside this one, added here.
 */
export const RECOGNISERS: readonly Recogniser[] = []
