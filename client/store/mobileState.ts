/**
 * The phone's environment, traffic and disaster risk summaries. The server sends them whole in every phone frame
 * (they are small); they are replaced, and the version moved, only when their content changed, so
 * the cards re-render only on news.
 */
import type { MobileEnvSummary, MobileSnapshot } from '../../shared/events';

export type MobileTraffic = NonNullable<MobileSnapshot['traffic']>;
export type MobileRisk = NonNullable<MobileSnapshot['risk']>;

export class MobileState {
  env: MobileEnvSummary | null = null;
  traffic: MobileTraffic | null = null;
  /** Communes at disaster risk level 3 or more, highest first (null: the server sends none). */
  risk: MobileRisk | null = null;
  version = 0;
  private dirty = false;
  private envJson = '';
  private trafficJson = '';
  private riskJson = '';

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
    const riskJson = frame.risk ? JSON.stringify(frame.risk) : '';
    if (riskJson !== this.riskJson) {
      this.riskJson = riskJson;
      this.risk = frame.risk ?? null;
      this.dirty = true;
    }
  }

  commit(): void {
    if (this.dirty) this.version++;
    this.dirty = false;
  }
}
