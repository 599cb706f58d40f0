// A page that throws while rendering shows the error in its place; the header, the navigation
// and the other pages keep working. Moving to another page clears it.
import { Component, type ReactNode } from 'react';
import { ErrorNotice } from './ErrorNotice.tsx';

interface State {
  error: unknown;
}

export class PageErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error };
  }

  override render() {
    if (this.state.error !== null) return <ErrorNotice error={this.state.error} title="This page failed to render" />;
    return this.props.children;
  }
}
