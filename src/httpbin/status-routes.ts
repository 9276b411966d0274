import { pythonFloat, pythonInt, PythonValueError } from './python-numbers.js';
import { plainReply } from './reply.js';
import { ANY_METHOD, type Route } from './router.js';
import { statusCodeReply } from './status-code-reply.js';

/**
 * The status `/status/{codes}` answers with. httpbin picks a weighted random
 * entry from a comma list (`200,500:3`); we always take the first one so runs
 * are reproducible. Undefined means httpbin's 400 "Invalid status code"; we
 * also use it for codes Node cannot send (outside 100..999).
 */
export function chooseStatus(codes: string): number | undefined {
  let first: bigint | undefined;
  try {
    if (!codes.includes(',')) {
      first = pythonInt(codes);
    } else {
      for (const choice of codes.split(',')) {
        const fields = choice.split(':');
        // httpbin unpacks `code, weight = choice.split(':')` outside its try block, so a second ':' is a 500.
        if (fields.length > 2) throw new Error('too many values to unpack');
        const code = pythonInt(fields[0] as string);
        if (fields.length === 2) pythonFloat(fields[1] as string);
        first ??= code;
      }
    }
  } catch (error) {
    if (error instanceof PythonValueError) return undefined;
    throw error;
  }
  return first !== undefined && first >= 100n && first <= 999n ? Number(first) : undefined;
}

export const statusRoutes: readonly Route[] = [
  {
    rule: '/status/<codes>',
    methods: ANY_METHOD,
    handle: ({ params }) => {
      const status = chooseStatus(params.codes as string);
      return status === undefined ? plainReply(400, 'Invalid status code') : statusCodeReply(status);
    },
  },
];
