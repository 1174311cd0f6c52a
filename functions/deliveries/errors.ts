/** Errors of the deliveries capability; messages are shown to staff (Japanese). */
import { DomainError } from '../shared/errors';

export class DeliveryNotFoundError extends DomainError {
  override readonly status = 404;
  override readonly code = 'not_found';
  constructor(what: '配信' | 'セグメント' | 'くり返し配信' | '画像' = '配信') {
    super(`${what}が見つかりません。`);
  }
}

export class DeliveryStateError extends DomainError {
  override readonly status = 409;
  override readonly code = 'invalid_state';
}

export class StaleVersionError extends DomainError {
  override readonly status = 409;
  override readonly code = 'conflict';
  constructor() {
    super('ほかの職員が先に変更しました。画面を再読み込みしてから、もう一度お試しください。');
  }
}

export class ApprovalRequiredError extends DomainError {
  override readonly status = 403;
  override readonly code = 'approval_required';
  constructor() {
    super('配信には管理者の承認が必要です。「承認を依頼」を押してください。');
  }
}

export class AdministratorOnlyError extends DomainError {
  override readonly status = 403;
  override readonly code = 'forbidden';
  constructor(action: string) {
    super(`${action}は管理者だけが行えます。`);
  }
}

export class QuotaExceededError extends DomainError {
  override readonly status = 409;
  override readonly code = 'quota_exceeded';
  constructor(
    readonly recipients: number,
    readonly remaining: number,
  ) {
    super(
      `今月の送信可能数が足りません（対象 ${recipients.toLocaleString('ja-JP')}人、残り ${remaining.toLocaleString('ja-JP')}通）。このまま送ると一部の友だちに届きません。`,
      [{ recipients, remaining }],
    );
  }
}
