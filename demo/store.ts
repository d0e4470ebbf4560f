// The store playground: plain DOM over the kit's API, no elements. It re-binds everything to the
// active Space through onActiveSpaceChanged, the way elements will.
import { createSpaceKit, isLocked, isValidId } from '../src/index.ts';
import type { Space, SpaceKit, SpaceType, TagSource } from '../src/index.ts';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const status = $<HTMLParagraphElement>('status');
const spaceSelect = $<HTMLSelectElement>('space-select');
const sourceSelect = $<HTMLSelectElement>('space-source');
const tagList = $<HTMLUListElement>('tags');
const kontextArea = $<HTMLTextAreaElement>('kontext');

const show = (value: unknown) => (isLocked(value) ? '🔒' : String(value));

const requested = new URLSearchParams(location.search).get('user') ?? 'demo';
const userId = isValidId(requested) ? requested : 'demo';
createSpaceKit({ user: { id: userId, name: userId }, storagePrefix: 'demo' }).then(
  (kit) => bind(kit),
  (error: Error) => (status.textContent = `The store could not start: ${error.message}`),
);

function bind(kit: SpaceKit): void {
  status.textContent = `Signed in as ${userId}.`;

  function renderSpaces(): void {
    const spaces = kit.spaces.list();
    spaceSelect.replaceChildren(
      ...spaces.map(
        (s) => new Option(`${show(s.name)} (${s.type})`, s.id, false, s.id === kit.activeSpace.id),
      ),
    );
    const presets = kit.presets.list();
    sourceSelect.replaceChildren(
      new Option('Empty', JSON.stringify({ kind: 'empty' })),
      new Option(
        `Copy from ${show(kit.activeSpace.name)}`,
        JSON.stringify({ kind: 'copy', fromSpaceId: kit.activeSpace.id }),
      ),
      ...presets.map(
        (p) => new Option(`${show(p.name)}`, JSON.stringify({ kind: 'preset', presetId: p.id })),
      ),
    );
  }

  function renderSpace(space: Space): void {
    tagList.replaceChildren(
      ...space.tags.list().map((tag) => {
        const item = document.createElement('li');
        item.style.color = tag.color;
        item.textContent = `${show(tag.name)} `;
        const remove = document.createElement('button');
        remove.textContent = 'Delete';
        remove.addEventListener('click', () => space.tags.remove(tag.id));
        item.append(remove);
        return item;
      }),
    );
    $('agents').textContent = `Agents: ${space.agents
      .list()
      .map((a) => a.name)
      .join(', ')}`;
    if (document.activeElement !== kontextArea) kontextArea.value = space.kontext.toString();
  }

  // Re-bind to every new active Space; the previous Space's observers go away with it.
  let unbind: (() => void)[] = [];
  kit.onActiveSpaceChanged((space) => {
    for (const off of unbind) off();
    const render = () => renderSpace(space);
    unbind = [
      space.tags.observe(render),
      space.agents.observe(render),
      space.kontext.observe(render),
    ];
    render();
    renderSpaces();
  });
  kit.spaces.observe(renderSpaces);
  kit.presets.observe(renderSpaces);

  spaceSelect.addEventListener('change', () => {
    kit
      .switchSpace(spaceSelect.value)
      .catch((error: Error) => (status.textContent = error.message));
  });

  $('create-space').addEventListener('submit', async (event) => {
    event.preventDefault();
    const name = $<HTMLInputElement>('space-name').value;
    const type = $<HTMLSelectElement>('space-type').value as SpaceType;
    const tagSource = JSON.parse(sourceSelect.value) as TagSource;
    try {
      const created = await kit.spaces.create({ name, type, tagSource });
      await kit.switchSpace(created.id);
      $<HTMLInputElement>('space-name').value = '';
    } catch (error) {
      status.textContent = (error as Error).message;
    }
  });

  $('add-tag').addEventListener('submit', (event) => {
    event.preventDefault();
    const input = $<HTMLInputElement>('tag-name');
    kit.activeSpace.tags.create({
      name: input.value,
      color: $<HTMLInputElement>('tag-color').value,
    });
    input.value = '';
  });

  $('undo').addEventListener('click', () => kit.activeSpace.undo());
  $('save-preset').addEventListener('click', () => {
    const name = `${show(kit.activeSpace.name)} tags`;
    kit.presets
      .fromSpace(kit.activeSpace.id, name)
      .catch((e: Error) => (status.textContent = e.message));
  });

  // Plain textarea binding: replace the whole text on change (the real editor diffs keystrokes).
  kontextArea.addEventListener('change', () => {
    const { kontext } = kit.activeSpace;
    kontext.delete(0, kontext.length);
    kontext.insert(0, kontextArea.value);
  });
}
