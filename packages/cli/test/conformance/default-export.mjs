// The handler sits under the default export only.
export default { handler: async () => ({ module: 'default export object' }) };
