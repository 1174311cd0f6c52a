/**
 * Creates a console administrator with a generated password (never a default one), printed once.
 * The account must change the password at first sign-in. Refuses an existing login ID.
 *
 *   AWS:    TABLE_NAME=civic-line-prod npm run create-admin -- --login-id tanaka --name "田中 太郎"
 *   Local (with `npm start` running):
 *           DYNAMODB_ENDPOINT=http://127.0.0.1:8000 TABLE_NAME=civic-line-local npm run create-admin -- --login-id tanaka --name "田中 太郎"
 */
import { parseArgs } from 'node:util';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.POWERTOOLS_TRACE_ENABLED ??= 'false';

const { values } = parseArgs({ options: { 'login-id': { type: 'string' }, name: { type: 'string' } } });

async function main(): Promise<number> {
  const { staffLoginIdParam } = await import('../functions/admin/schemas');
  const loginId = staffLoginIdParam.safeParse(values['login-id'] ?? '');
  const name = (values.name ?? '').trim();
  if (!loginId.success || !name || name.length > 50) {
    console.error('使い方 / usage: npm run create-admin -- --login-id <半角英小文字・数字・. _ - で3〜32文字> --name <表示名（50文字以内）>');
    return 2;
  }
  if (!process.env.TABLE_NAME) {
    console.error('TABLE_NAME を設定してください / set TABLE_NAME (locally also DYNAMODB_ENDPOINT=http://127.0.0.1:8000)');
    return 2;
  }
  // Imported after the environment is settled (Powertools and the SDK client read it).
  const [{ createAdministrator }, { bootstrapDeps }, { LoginIdTakenError }] = await Promise.all([
    import('../functions/admin/bootstrap'),
    import('../functions/admin/wiring'),
    import('../functions/admin/errors'),
  ]);
  try {
    const created = await createAdministrator(bootstrapDeps(), { loginId: loginId.data, displayName: name, mustChangePassword: true, by: 'create-admin' });
    console.log(`管理者アカウントを作成しました / administrator created (table ${process.env.TABLE_NAME})
  ログインID / login ID:  ${created.loginId}
  初期パスワード / initial password:  ${created.password}
この画面にだけ表示されます。本人に安全な方法で伝えてください。初回サインイン時に変更が必要です。
Shown only here; hand it over safely. It must be changed at the first sign-in.`);
    return 0;
  } catch (error) {
    if (error instanceof LoginIdTakenError) {
      console.error(`ログインID「${loginId.data}」はすでに存在します。何も変更していません。 / login ID already exists; nothing changed.`);
      return 1;
    }
    throw error;
  }
}

process.exitCode = await main();
