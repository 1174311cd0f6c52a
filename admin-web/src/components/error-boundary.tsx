import { Component, type ReactNode } from 'react';

/** A screen that fails to draw shows a plain message with a way out, never a blank page. */
export class ErrorBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError() {
    return { failed: true };
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <div className="center-screen">
        <div className="card narrow" role="alert">
          <h1 className="signin-heading">画面を表示できませんでした</h1>
          <p>お手数ですが、ページを再読み込みしてください。続くときは管理者に連絡してください。</p>
          <button type="button" className="button primary" onClick={() => location.reload()}>
            再読み込み
          </button>
        </div>
      </div>
    );
  }
}
