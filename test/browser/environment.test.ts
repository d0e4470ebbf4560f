import { expect } from '@open-wc/testing';

describe('browser test environment', () => {
  it('has real IndexedDB that persists a value across connections', async () => {
    const name = `env-check-${crypto.randomUUID()}`;
    const open = () =>
      new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(name, 1);
        request.onupgradeneeded = () => request.result.createObjectStore('s');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    const db = await open();
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction('s', 'readwrite');
      tx.objectStore('s').put('value', 'key');
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
    db.close();
    const again = await open();
    const value = await new Promise((resolve, reject) => {
      const request = again.transaction('s').objectStore('s').get('key');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    again.close();
    indexedDB.deleteDatabase(name);
    expect(value).to.equal('value');
  });
});
