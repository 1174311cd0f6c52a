/**
 * Errors of the forms capability. `key` names the citizen message (five languages, messages.ts);
 * `message` is the Japanese text (what staff see). The LIFF handler re-renders in the citizen's language.
 */
import { DomainError } from '../shared/errors';
import type { Lang } from '../shared/languages';
import { message, type MessageKey } from './messages';

export class FormError extends DomainError {
  override readonly status: number;
  override readonly code: string;
  constructor(
    status: number,
    code: string,
    readonly key: MessageKey,
    readonly fields?: Record<string, string>,
    readonly n?: string | number,
  ) {
    super(message(key, 'ja', n));
    this.status = status;
    this.code = code;
  }
  localized(lang: Lang): string {
    return message(this.key, lang, this.n);
  }
}

export const formNotFound = () => new FormError(404, 'form_not_found', 'formNotFound');
export const formClosed = () => new FormError(409, 'form_closed', 'formClosed');
export const uploadNotFound = () => new FormError(404, 'upload_not_found', 'uploadNotFound');
export const invalidAnswers = (fields: Record<string, string>) => new FormError(400, 'invalid_answers', 'invalidAnswers', fields);

/** Staff saved over a newer version (409). */
export class FormVersionConflictError extends DomainError {
  override readonly status = 409;
  override readonly code = 'version_conflict';
  constructor(readonly currentVersion: number) {
    super('ほかの職員がこのフォームを先に保存しました。画面を再読み込みして最新の内容を確認してください。', [{ currentVersion }]);
  }
}

export class StaffResponseNotFoundError extends DomainError {
  override readonly status = 404;
  override readonly code = 'response_not_found';
  constructor() {
    super('この市民の回答は見つかりません。');
  }
}

export class StaffFormNotFoundError extends DomainError {
  override readonly status = 404;
  override readonly code = 'form_not_found';
  constructor() {
    super('フォームが見つかりません。');
  }
}
