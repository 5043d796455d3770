"""Four labs embedded in one course page (issue 12): a lab off screen does not start Python
until it scrolls into view or is used, so the one being read gets ready first; once ready, an
embed drops the "Python ready" strip."""

COURSE_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A course page</title>
<style>body { margin: 0; } iframe { display: block; width: 800px; height: 700px; border: 0; }
.text { height: 2500px; }</style></head>
<body>
<iframe id="lab1" src="index.html?embed=1#xor" title="XOR"></iframe>
<p class="text">Read this first.</p>
<iframe id="lab2" src="index.html?embed=1#deep" title="Deep"></iframe>
<p class="text">And this.</p>
<iframe id="lab3" src="index.html?embed=1#glassbox" title="Glass box"></iframe>
<p class="text">And this.</p>
<iframe id="lab4" src="index.html?embed=1#digits" title="Digits"></iframe>
</body></html>
"""
TIMEOUT = 60_000


def started(frame):
    """Python's start has begun in this frame: PyScript's worker script is in its page."""
    return frame.evaluate("Boolean(document.querySelector('script[type=py]'))")


def wait_ready(frame):
    frame.wait_for_function("document.documentElement.dataset.state === 'ready'", timeout=TIMEOUT)
    frame.wait_for_function("document.getElementById('runtime-status').hidden", timeout=TIMEOUT)


def test_embeds_start_python_when_seen_or_used(page, modified_site):
    site = modified_site(lambda folder: (folder / "course.html").write_text(COURSE_PAGE))
    page.set_viewport_size({"width": 1000, "height": 800})
    page.goto(site + "course.html")
    frames = [page.frame_locator(f"#lab{n}") for n in range(1, 5)]
    labs = [page.locator(f"#lab{n}").element_handle().content_frame() for n in range(1, 5)]
    for frame in frames:  # every lab draws its network from the build's state meanwhile
        frame.locator("#lab-root svg").first.wait_for(timeout=TIMEOUT)

    wait_ready(labs[0])  # the lab on screen starts and gets ready; its strip goes
    assert page.locator("#lab1").is_visible()
    page.wait_for_timeout(1000)
    assert [started(lab) for lab in labs] == [True, False, False, False]
    assert labs[1].evaluate("document.documentElement.dataset.state") == "loading"
    assert "when" in labs[1].inner_text("#runtime-status")  # it says when Python will start

    page.locator("#lab2").scroll_into_view_if_needed()  # scrolled to: it starts
    wait_ready(labs[1])
    assert [started(lab) for lab in labs] == [True, True, False, False]

    # Used while off screen (a keyboard user tabbing into it): it starts without being seen.
    labs[3].evaluate(
        "document.querySelector('#lab-root :is(button, input, select, [tabindex])"
        ":not(:disabled)').focus({preventScroll: true})"
    )
    assert labs[3].evaluate("document.activeElement !== document.body")
    wait_ready(labs[3])
    assert not started(labs[2])
    labs[3].wait_for_function("!document.querySelector('#lab-root [data-needs-python]:disabled')")
