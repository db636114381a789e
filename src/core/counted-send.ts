import { ApiError, LOCAL_CODES } from "../tencent/errors.js";
import type { JobRecord } from "./job-record.js";
import { ONCE_RULES, type OnceAction } from "./once-actions.js";
import type { SendPort, SendRequest, SendResult } from "./send.js";
import type { GateEvent } from "./types.js";

/** What a request the run did not send, because it was already stopping, ends with. */
export const NOT_SENT = new ApiError({
  kind: "fatal",
  code: LOCAL_CODES.aborted,
  message: "not sent",
  maybeApplied: false,
});

/**
 * One logical request for one job through the send port: every attempt counted in the job's record
 * (and in the record of an action that changes the job), every retry told.
 */
export async function sendCounted(
  port: SendPort,
  record: JobRecord,
  request: SendRequest,
  signal: AbortSignal,
  emit: (event: GateEvent) => void,
): Promise<SendResult> {
  const { action } = request;
  const sent = action in ONCE_RULES ? record.sent(action as OnceAction) : undefined;
  const result = await port(request, signal, {
    onAttempt: () => {
      record.requests++;
      sent?.attempted();
    },
    onAttemptFailed: (error) => sent?.attemptFailed(error),
    onRetry: (notice) => {
      // An attempt the run itself cut short (its deadline, a signal) is no failure to report: the
      // failure before it is what explains a timeout.
      if (signal.aborted && notice.error.code === LOCAL_CODES.aborted) return;
      record.lastRetried = notice.error;
      emit({ type: "retry", jobId: record.jobId, action, notice });
    },
  });
  if (result.ok && result.attempts > 1)
    emit({ type: "recovered", jobId: record.jobId, action, attempts: result.attempts });
  return result;
}
