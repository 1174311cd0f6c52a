/** Errors of the staff console API (docs/admin-api.md); messages are shown to staff. */
import { DomainError } from '../shared/errors';

export class UnauthenticatedError extends DomainError {
  override readonly status = 401;
  override readonly code = 'unauthenticated';
  constructor(message = 'サインインしてください。') {
    super(message);
  }
}

export class InvalidCredentialsError extends DomainError {
  override readonly status = 401;
  override readonly code = 'invalid_credentials';
  constructor() {
    super('ログインIDまたはパスワードが正しくありません。');
  }
}

export class TotpRequiredError extends DomainError {
  override readonly status = 401;
  override readonly code = 'totp_required';
  constructor(wrong: boolean) {
    super(wrong ? '確認コードが正しくありません。認証アプリの6桁のコードを入力してください。' : '認証アプリの6桁の確認コードを入力してください。');
  }
}

export class LockedError extends DomainError {
  override readonly status = 423;
  override readonly code = 'locked';
  constructor(readonly lockedUntil: string) {
    super('ログインに続けて失敗したため、アカウントを一時的にロックしました。しばらくしてからお試しいただくか、管理者にご連絡ください。', [{ lockedUntil }]);
  }
}

export class CsrfError extends DomainError {
  override readonly status = 403;
  override readonly code = 'csrf_failed';
  constructor() {
    super('不正なリクエストです。画面を再読み込みしてからもう一度お試しください。');
  }
}

export class AccessDeniedError extends DomainError {
  override readonly status = 403;
  override readonly code = 'forbidden';
  constructor(message = 'この操作を行う権限がありません。') {
    super(message);
  }
}

export class PasswordChangeRequiredError extends DomainError {
  override readonly status = 403;
  override readonly code = 'password_change_required';
  constructor() {
    super('パスワードを変更してから操作してください。');
  }
}

export class LoginIdTakenError extends DomainError {
  override readonly status = 409;
  override readonly code = 'login_id_taken';
  constructor() {
    super('このログインIDはすでに使われています。');
  }
}

export class EditConflictError extends DomainError {
  override readonly status = 409;
  override readonly code = 'conflict';
  constructor() {
    super('ほかの操作と重なりました。画面を再読み込みしてからもう一度お試しください。');
  }
}

export class RouteNotFoundError extends DomainError {
  override readonly status = 404;
  override readonly code = 'not_found';
  constructor(message = '指定されたページまたはデータが見つかりません。') {
    super(message);
  }
}

export class MethodNotAllowedError extends DomainError {
  override readonly status = 405;
  override readonly code = 'method_not_allowed';
  constructor() {
    super('この操作には対応していません。');
  }
}

export class InvalidCurrentPasswordError extends DomainError {
  override readonly status = 400;
  override readonly code = 'invalid_current_password';
  constructor() {
    super('現在のパスワードが正しくありません。');
  }
}

export class InvalidTotpCodeError extends DomainError {
  override readonly status = 400;
  override readonly code = 'invalid_totp';
  constructor() {
    super('確認コードが正しくありません。認証アプリに表示されている6桁のコードを入力してください。');
  }
}

export class TotpStateError extends DomainError {
  override readonly status = 409;
  override readonly code = 'totp_state';
}

export class SelfChangeError extends DomainError {
  override readonly status = 400;
  override readonly code = 'self_change';
}
