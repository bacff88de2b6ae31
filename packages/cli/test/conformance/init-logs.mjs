console.log('logged during init');
export const handler = async () => {
  console.log('logged during the invocation');
  return 'ok';
};
