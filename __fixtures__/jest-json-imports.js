/**
 * A jest transform for @actions/workflow-parser and @actions/languageservice, which
 * `__tests__/action-files.test.ts` uses to validate action.yml and the workflows. Their ESM
 * builds target bundlers and import JSON without `with { type: 'json' }`: Node refuses that, and
 * jest 30 accepts it with a deprecation warning per import (an error in its next major). Adding
 * the attribute to exactly those imports fixes the cause rather than hiding the warning.
 */
const JSON_IMPORT = /^(import\s+[\w$]+\s+from\s+(["'])\.{1,2}\/[^"'\n]+\.json\2)\s*;/gm

export default {
  process(source) {
    return { code: source.replace(JSON_IMPORT, '$1 with { type: "json" };') }
  }
}
