// Written by `npm run fingerprints` (scripts/fingerprints.ts); do not edit.

/** The byte pass's plans (scan-kernel.ts), by the JSON of the list of triggers each is for. */
export const FINGERPRINT_PLANS = new Map<string, { at: number[]; bucket: number[] }>([
  [
    '["[ERROR]","[WARN",".java:[","COMPILATION WARNING :","COMPILATION ERROR :",": error: ","e: file:",".kt: (",".kts: (","error: ","error TS","error\\u001b[0m\\u001b[90m TS","error[E","error\\u001b[0m","# ","error CS","<<< FAILURE!","<<< ERROR!","Results:","Results :","FAILED","--- FAIL: ","=== RUN ","=== CONT ","=== NAME ","_test.go:","FAIL\\t","●","FAIL ","= FAILURES =","= ERRORS =","__ ",".py:",".py\\u001b[0m:"," stdout ----","panicked at ","failures:","successes:","Failed "]',
    {
      at: [
        4, 1, 4, 12, 5, 5, 5, 0, 0, 3, 4, 3, 3, 3, 0, 4, 4, 7, 0, 0, 0, 4, 4, 5, 4, 4, 0, 0, 0, 9,
        7, 0, 1, 1, 3, 4, 6, 7, 0
      ],
      bucket: [
        1, 7, 1, 7, 7, 4, 2, 6, 6, 4, 5, 4, 4, 4, 3, 5, 7, 1, 6, 6, 7, 7, 2, 4, 7, 0, 7, 6, 7, 6, 6,
        5, 4, 4, 1, 0, 2, 2, 7
      ]
    }
  ]
])
