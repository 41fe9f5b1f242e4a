// Leak: express-session's default MemoryStore (its README: "The default server-side session storage, MemoryStore, is
// purposely not designed for a production environment. It will leak memory under most conditions"). Clients that send
// no cookie — API clients, bots, health checkers — get a new session whenever the handler writes to it, and sessions
// without maxAge never expire. SQ_LEAK_EVERY: one request in that many writes its order into the session.
import session from 'express-session';
import { startShape } from './lib/express-shape.mjs';

await startShape('session-store', ({ app, settings }) => {
  app.use(session({ secret: 'signal-quality', resave: false, saveUninitialized: false }));
  return {
    onOrder(req, record, n) {
      if (n % settings.leakEvery === 0) req.session.lastOrder = record;
    },
  };
});
