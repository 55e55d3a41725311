import { mount } from 'svelte';
import App from './App.svelte';
import { ElectronBridge } from './bridge/electronBridge';
import { WorkerBridge } from './bridge/workerBridge';
import type { LabBridge } from './bridge/types';
import type { DesktopApi } from '../../engine/spec/desktop';
import 'katex/dist/katex.min.css';
import 'uplot/dist/uPlot.min.css';
import './app.css';
import { i18n } from './i18n/i18n.svelte';

const api = (window as unknown as { lab?: DesktopApi }).lab;
const bridge: LabBridge = api ? new ElectronBridge(api) : new WorkerBridge();
// The end-to-end tests reach the bridge for fault injection (killing the engine).
(window as unknown as { __gdlab: unknown }).__gdlab = { bridge };

const target = document.getElementById('app');
// The first words on screen are already in the person's language.
void bridge.locale().catch(() => ({ locale: navigator.language, language: null })).then((system) => {
  i18n.start(system);
  if (target) mount(App, { target, props: { bridge } });
});
