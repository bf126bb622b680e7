/**
 * The phone's environment and traffic summaries. The server sends them whole in every phone frame
 * (they are small); they are replaced, and the version moved, only when their content changed, so
 * the cards re-render only on news.
 */
import type { MobileEnvSummary, MobileSnapshot } from '../../shared/events';

export type MobileTraffic = NonNullable<MobileSnapshot['traffic']>;

export class MobileState {
  env: MobileEnvSummary | null = null;
  traffic: MobileTraffic | null = null;
  version = 0;
  private dirty = false;
  private envJson = '';
  private trafficJson = '';

  apply(frame: MobileSnapshot): void {
    const envJson = frame.env ? JSON.stringify(frame.env) : '';
    if (envJson !== this.envJson) {
      this.envJson = envJson;
      this.env = frame.env ?? null;
      this.dirty = true;
    }
    const trafficJson = frame.traffic ? JSON.stringify(frame.traffic) : '';
    if (trafficJson !== this.trafficJson) {
      this.trafficJson = trafficJson;
      this.traffic = frame.traffic ?? null;
      this.dirty = true;
    }
  }

  commit(): void {
    if (this.dirty) this.version++;
    this.dirty = false;
  }
}
