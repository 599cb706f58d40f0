// Steps the end-to-end flows share, written the way a person does them: through the labelled
// controls, not through the page's internals.
import type { Page } from 'playwright-core';

export async function addDatasetThroughForm(page: Page, options: { path: string; kind: string; name: string; expectError?: boolean }): Promise<void> {
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Datasets' }).click();
  const form = page.getByRole('form', { name: 'Add a dataset' });
  await form.getByLabel('Kind').selectOption(options.kind);
  await form.getByRole('textbox', { name: /File|Folder/ }).fill(options.path);
  await form.getByLabel('Name').fill(options.name);
  await form.getByRole('button', { name: 'Add dataset' }).click();
  const alert = form.getByRole('alert');
  if (options.expectError) {
    await alert.waitFor();
    return;
  }
  // Either outcome ends the wait; a refusal fails the step with what the page said.
  await alert.or(form.getByRole('status').filter({ hasText: options.name })).first().waitFor({ timeout: 60_000 });
  if (await alert.isVisible()) throw new Error(`dataset ${options.name} was refused: ${await alert.innerText()}`);
}

export async function goTo(page: Page, title: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: title }).click();
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
}
