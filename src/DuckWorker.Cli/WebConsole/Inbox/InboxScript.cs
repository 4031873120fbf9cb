namespace DuckWorker.Cli.WebConsole.Inbox;

/// <summary>
/// The inbox's script: follows <c>/inbox/events</c> and brings the list up to date without touching the items
/// that stay (a comment being typed, the focus); sends decisions in the background and says what was sent.
/// </summary>
internal static class InboxScript
{
    public const string Text = """
        (() => {
          const list = document.getElementById('inbox');
          const status = document.getElementById('status');
          const empty = document.getElementById('empty');
          const sent = new Set();

          function say(message, failed) {
            status.textContent = message;
            status.classList.toggle('error', failed);
          }

          function remove(item) {
            const next = item.nextElementSibling ?? item.previousElementSibling;
            const hadFocus = item.contains(document.activeElement);
            item.remove();
            empty.hidden = list.children.length > 0;
            if (hadFocus) {
              (next?.querySelector('button') ?? status).focus();
            }
          }

          async function refresh() {
            const response = await fetch('/inbox/items', { headers: { Accept: 'text/html' } });
            if (!response.ok) return;
            const incoming = document.createElement('template');
            incoming.innerHTML = await response.text();
            const items = [...incoming.content.querySelectorAll('li[data-approval-id]')]
              .filter(item => !sent.has(item.dataset.approvalId));
            const ids = new Set(items.map(item => item.dataset.approvalId));
            for (const item of [...list.children]) {
              if (!ids.has(item.dataset.approvalId)) remove(item);
            }
            let previous = null;
            for (const item of items) {
              const present = document.getElementById(item.id);
              if (present) { previous = present; continue; }
              if (previous) previous.after(item); else list.prepend(item);
              previous = item;
            }
            empty.hidden = list.children.length > 0;
          }

          list.addEventListener('submit', async event => {
            const form = event.target;
            const item = form.closest('li[data-approval-id]');
            if (!item) return;
            event.preventDefault();
            const body = new URLSearchParams(new FormData(form, event.submitter));
            const buttons = item.querySelectorAll('button');
            buttons.forEach(button => button.disabled = true);
            try {
              const response = await fetch(form.action, { method: 'POST', body, headers: { Accept: 'application/json' } });
              const outcome = await response.json();
              say(outcome.message, !outcome.sent);
              if (outcome.sent) {
                sent.add(item.dataset.approvalId);
                remove(item);
                return;
              }
            } catch {
              say('The console could not be reached; nothing was sent.', true);
            }
            buttons.forEach(button => button.disabled = false);
            refresh();
          });

          new EventSource('/inbox/events').addEventListener('inbox', refresh);
        })();
        """;
}
