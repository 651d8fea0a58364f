import type { PropsWithChildren } from 'react';
import { listenForPrivacyRequests } from './services/privacy';
import './app.css';

listenForPrivacyRequests();

function App({ children }: PropsWithChildren) {
  return children;
}

export default App;
