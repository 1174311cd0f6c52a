/** A queue of JSON messages consumed by a Lambda (SQS in AWS, the local queue on one machine). */
export interface EventQueue {
  /** Sends every body or throws; order is not guaranteed. */
  sendAll(bodies: string[]): Promise<void>;
}
