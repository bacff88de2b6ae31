throw new Error('cannot load: DATABASE_URL is not set');
