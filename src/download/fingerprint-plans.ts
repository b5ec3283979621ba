// Written by `npm run fingerprints` (scripts/fingerprints.ts); do not edit.

/** The byte pass's plans (scan-kernel.ts), by the JSON of the list of triggers each is for. */
export const FINGERPRINT_PLANS = new Map<string, { at: number[]; bucket: number[] }>([
  [
    '["[ERROR]","[WARN",".java:[","COMPILATION WARNING :","COMPILATION ERROR :",": error: ","e: file:",".kt: (",".kts: (","error: ","error TS","error\\u001b[0m\\u001b[90m TS","error[E","error\\u001b[0m","# ","error CS","<<< FAILURE!","<<< ERROR!","Results:","Results :","FAILED","--- FAIL: ","=== RUN ","=== CONT ","=== NAME ","_test.go:","FAIL\\t","●","FAIL ","= FAILURES =","= ERRORS =","__ ",".py:",".py\\u001b[0m:"," stdout ----","panicked at ","failures:","successes:","Failed "]',
    {
      at: [
        2, 2, 3, 13, 13, 5, 5, 0, 0, 3, 5, 14, 4, 5, 0, 4, 4, 5, 0, 0, 0, 4, 2, 6, 2, 5, 0, 0, 0, 2,
        3, 0, 1, 3, 6, 5, 6, 7, 3
      ],
      bucket: [
        4, 7, 3, 7, 4, 4, 2, 6, 6, 4, 5, 5, 1, 2, 0, 1, 7, 4, 6, 6, 7, 7, 7, 5, 7, 3, 7, 6, 7, 7, 4,
        5, 4, 2, 1, 2, 2, 2, 2
      ]
    }
  ]
])
