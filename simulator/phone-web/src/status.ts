/** The status line under the chat: webhook answers and errors, announced to screen readers. */
import { byId } from '../../../web-shared/dom';

export function setStatus(text: string, isError = false): void {
  const line = byId('statusline');
  line.textContent = text;
  line.classList.toggle('err', isError);
}
