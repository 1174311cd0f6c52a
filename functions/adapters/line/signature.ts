/** The X-Line-Signature check: @line/bot-sdk's own (HMAC-SHA256 of the raw body with the channel secret, compared in constant time). */
import { validateSignature } from '@line/bot-sdk';

export function lineSignatureValid(body: Buffer, channelSecret: string, signature: string): boolean {
  return validateSignature(body, channelSecret, signature);
}
