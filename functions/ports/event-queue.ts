/** A queue consumed by a Lambda function (SQS in AWS, the local runtime's queue on one machine). */
export interface EventQueue {
  /** Sends every body or throws; order is not guaranteed. */
  sendAll(bodies: string[]): Promise<void>;
}

/** A queue of typed messages, sent as JSON (the planner and send queues). */
export interface JsonQueue<T> {
  send(messages: T[]): Promise<void>;
}

/** The typed port over any EventQueue: each message is one JSON body. */
export function jsonQueue<T>(queue: EventQueue): JsonQueue<T> {
  return { send: (messages) => queue.sendAll(messages.map((m) => JSON.stringify(m))) };
}
