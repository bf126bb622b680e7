/** The loopback port helpers live beside `npm run cluster`, which needs them too; tests and the bench import them here. */
export { canConnect, freePort } from '../../server/cluster/local/ports';
