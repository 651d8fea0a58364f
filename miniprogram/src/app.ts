import type { PropsWithChildren } from 'react';
import { installElderMode } from './services/elder-mode';
import { listenForPrivacyRequests } from './services/privacy';
import './app.css';

listenForPrivacyRequests();
// 长辈模式 on every page: follows `me.elderMode` from every /api/me answer (services/elder-mode.ts).
installElderMode();

function App({ children }: PropsWithChildren) {
  return children;
}

export default App;
