/** The page at the platform's root until the admin console is served there. */
export function landingPage(ctx: { platformUrl: string; simulatorUrl: string | null }): string {
  const simulator = ctx.simulatorUrl
    ? `<li><a href="${ctx.simulatorUrl}/">LINEシミュレーター（市民の画面・研修用）</a></li>`
    : '<li>LINE: 本番のLINEチャネルに接続中</li>';
  return `<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>civic-line（ローカル）</title>
<style>body{font-family:system-ui,"Hiragino Sans","Meiryo",sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#222}
code{background:#f3f3f3;padding:.1rem .3rem;border-radius:3px}</style></head>
<body><h1>civic-line ローカル環境</h1>
<p>このパソコンの中だけで動いています。AWSやLINEのアカウントは使っていません。</p>
<ul>${simulator}
<li>Webhook: <code>${ctx.platformUrl}/webhook</code></li>
<li>状態: <a href="/__local/status">/__local/status</a></li></ul>
</body></html>`;
}
