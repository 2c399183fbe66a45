"""``{% session_card session show_trainer=False %}``: ``training/_session_card.html``, rendered once per session.

The calendar's week and day show every session twice, in the time grid and in the list that replaces it on a phone;
the card is the same both times (issue 16: half the calendar's time went to rendering cards). The cards are kept in
the render context, i.e. for this one rendering of this one page: nothing outlives the request.
"""

from django import template

register = template.Library()

CARD = "training/_session_card.html"
_CARDS = object()  # the render context's key


@register.simple_tag(takes_context=True)
def session_card(context, session, show_trainer):
    cards = context.render_context.get(_CARDS)
    if cards is None:
        cards = context.render_context[_CARDS] = {}
    key = (session.pk, show_trainer)
    if key not in cards:
        card = context.template.engine.get_template(CARD)
        with context.push(session=session, show_trainer=show_trainer):
            cards[key] = card.render(context)
    return cards[key]
