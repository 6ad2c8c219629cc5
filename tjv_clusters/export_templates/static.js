/* The static dashboard: draws and filters the records prepared by tjv_clusters/export.py.
   No logic of its own beyond what a browser must do: read the URL (the live app's grammar),
   filter prepared records, match search text, draw, and switch language. Text from the
   data arrives HTML-escaped from Python; strings built here go through textContent. */
(function () {
  "use strict";
  var T = window.TJV;
  var base = T.base;
  var LANGS = base.vocab.languages;
  var NAME_INDEX = {en: 0, ja: 1, zh_TW: 2, vi: 3};
  var KIND_ORDER = {site: 0, region: 1, city: 2, organisation: 3};
  var page = document.body.getAttribute("data-page");
  var params = new URLSearchParams(location.search);
  var notices = [];

  function canonicalLang(tag) {
    if (!tag) return null;
    var low = String(tag).replace("-", "_").toLowerCase();
    for (var code in LANGS) if (code.toLowerCase() === low) return code;
    if (low.indexOf("zh") === 0) return "zh_TW";
    var primary = low.split("_")[0];
    return LANGS[primary] ? primary : null;
  }

  function listParam(name, allowed) {
    var raw = params.get(name);
    if (raw === null) return allowed.slice();
    var chosen = raw.split(",").filter(function (v) { return allowed.indexOf(v) >= 0; });
    if (!chosen.length || chosen.length !== raw.split(",").length) notices.push(name);
    return chosen.length ? chosen : allowed.slice();
  }

  var STATIC_PARAMS = ["lang", "country", "sector", "kind", "years", "sel", "chart", "embed",
                       "kiosk", "idle", "dwell", "asof"];
  var unknown = false;
  if (page === "places") STATIC_PARAMS.push("id");  // /places?id=JP-43, as the live page
  params.forEach(function (value, name) {
    if (STATIC_PARAMS.indexOf(name) >= 0) return;
    if (base.vocab.params.indexOf(name) >= 0) { if (notices.indexOf(name) < 0) notices.push(name); }
    else unknown = true;  // never shown: a crafted link must not put its text on the page
  });
  var langParam = params.get("lang");
  var state = {
    lang: canonicalLang(langParam) || canonicalLang(navigator.language) || "en",
    countries: listParam("country", base.vocab.countries),
    sectors: listParam("sector", base.vocab.sectors),
    kinds: listParam("kind", base.vocab.kinds),
    yearFrom: base.years[0],
    yearTo: base.years[1],
    sel: null,
    chart: params.get("chart"),
    embed: params.get("embed") === "true"
  };
  if (langParam !== null && !canonicalLang(langParam)) notices.push("lang");
  // asof=2021: the places as they stood in that year (as in the live app)
  var asof = params.get("asof");
  state.asof = null;
  if (asof !== null) {
    if (/^\d{4}$/.test(asof) && +asof >= base.firstOpened && +asof <= base.years[1]) state.asof = +asof;
    else notices.push("asof");
  }
  // the place profile's region: a region of the data, else the live page's default
  var REGIONS = {};
  base.regions.features.forEach(function (f) {
    if (f.properties.details !== undefined) REGIONS[f.properties.code] = f.properties;
  });
  if (page === "places") {
    state.place = REGIONS.hasOwnProperty(params.get("id")) ? params.get("id") : "JP-43";
    if (params.get("id") !== null && state.place !== params.get("id")) notices.push("id");
  }
  var years = /^(\d{4})-(\d{4})$/.exec(params.get("years") || "");
  if (years && +years[1] <= +years[2]) {
    state.yearFrom = +years[1];
    state.yearTo = +years[2];
  } else if (params.get("years") !== null) {
    notices.push("years");
  }
  // the expo tour: ?kiosk=true&idle=90&dwell=10 (seconds; limits from url_state.KIOSK_TIMES)
  var kiosk = {on: params.get("kiosk") === "true", step: 0, playing: false, timer: null, idleTimer: null};
  if (params.get("kiosk") !== null && ["true", "false"].indexOf(params.get("kiosk")) < 0) notices.push("kiosk");
  Object.keys(base.kiosk).forEach(function (name) {
    var limits = base.kiosk[name], raw = params.get(name);
    kiosk[name] = limits[0];
    if (raw === null) return;
    if (/^\d+$/.test(raw) && +raw >= limits[1] && +raw <= limits[2]) kiosk[name] = +raw;
    else notices.push(name);
  });
  var sel = /^(site|region):([A-Za-z0-9-]+)$/.exec(params.get("sel") || "");
  if (sel) state.sel = [sel[1], sel[2]];
  else if (params.get("sel") !== null) notices.push("sel");

  function text(key, values) {
    var s = (T["lang-" + state.lang] || T["lang-en"]).ui[key] || key;
    for (var k in values || {}) s = s.split("{" + k + "}").join(values[k]);
    return s;
  }
  function byId(id) { return document.getElementById(id); }
  function setText(id, value) { var el = byId(id); if (el) el.textContent = value; }

  function writeUrl() {
    var out = new URLSearchParams();
    out.set("lang", state.lang);
    [["country", state.countries, base.vocab.countries], ["sector", state.sectors, base.vocab.sectors],
     ["kind", state.kinds, base.vocab.kinds]].forEach(function (p) {
      if (p[1].length !== p[2].length) out.set(p[0], p[1].join(","));
    });
    if (state.yearFrom !== base.years[0] || state.yearTo !== base.years[1]) {
      out.set("years", state.yearFrom + "-" + state.yearTo);
    }
    if (state.asof) out.set("asof", state.asof);
    if (state.sel) out.set("sel", state.sel.join(":"));
    if (state.chart) out.set("chart", state.chart);
    if (state.place) out.set("id", state.place);
    if (state.embed) out.set("embed", "true");
    if (kiosk.on) {
      out.set("kiosk", "true");
      Object.keys(base.kiosk).forEach(function (name) {
        if (kiosk[name] !== base.kiosk[name][0]) out.set(name, kiosk[name]);
      });
    }
    try { history.replaceState(null, "", "?" + out.toString().replace(/%2C/g, ",").replace(/%3A/g, ":")); }
    catch (e) { /* some file:// setups refuse; the view still works */ }
    var full = byId("open-full");
    if (full) {
      out.delete("embed");
      full.href = location.pathname.split("/").pop() + "?" + out.toString();
    }
    // the other pages open with the same language and filters (not this page's selection)
    out.delete("sel");
    out.delete("chart");
    out.delete("id");
    navQuery = out.toString();
    NAV_PAGES.forEach(function (name) {
      var link = byId("nav-" + name);
      if (link) link.href = link.getAttribute("href").split("?")[0] + "?" + out.toString();
    });
  }

  var NAV_PAGES = ["map", "ic", "timeline", "flows", "places", "data", "about"];
  var navQuery = "";  // the language and filters that every page's links keep

  function loadScript(name, done) {
    if (T[name]) return done();
    var s = document.createElement("script");
    s.src = "data/" + name + ".js";
    s.onload = done;
    document.body.appendChild(s);
  }

  // the interface in a language; on a chart page also its figures: the IC panels (each
  // names its countries), or the timeline or flows of the chosen countries (a file each)
  function chartsFile(lang) {
    if (page === "ic") return "charts-" + lang;
    return "charts-" + lang + "-" + base.vocab.countries.filter(function (c) {
      return state.countries.indexOf(c) >= 0;
    }).join("-");
  }
  function loadLanguage(lang, done) {
    loadScript("lang-" + lang, function () {
      if (CHART_TITLES[page]) loadScript(chartsFile(lang), done); else done();
    });
  }

  // which details file holds a record (each record of base.js names it)
  var detailsFile = {};
  base.sites.forEach(function (s) { detailsFile[s.id] = s.details; });
  base.regions.features.forEach(function (f) {
    if (f.properties.details !== undefined) {
      detailsFile["region:" + f.properties.code] = f.properties.details;
    }
  });

  function chrome() {
    document.documentElement.lang = state.lang.replace("_", "-");
    setText("lang-label", text("sidebar.language"));
    NAV_PAGES.forEach(function (name) {
      var link = byId("nav-" + name);
      if (!link) return;
      link.textContent = text("nav." + name);
      if (name === page) link.setAttribute("aria-current", "page");
    });
    setText("open-full", text("embed.open_full"));
    setText("note", text("static.note"));
    var select = byId("lang");
    if (!select.options.length) {
      for (var code in LANGS) select.add(new Option(LANGS[code], code));
      select.addEventListener("change", function () {
        state.lang = select.value;
        loadLanguage(state.lang, render);
      });
    }
    select.value = state.lang;
    var box = byId("notices");
    if ((notices.length || unknown) && !box) {
      box = document.createElement("p");
      box.id = "notices";
      box.className = "notice";
      box.setAttribute("role", "status");
      document.querySelector("main").prepend(box);
    }
    if (box) {
      box.textContent = notices.map(function (n) { return text("notice.bad_param", {name: n}); })
        .concat(unknown ? [text("notice.unknown_param")] : []).join(" ");
    }
  }

  /* ---------------------------------------------------------------- map page */
  var map, cluster, regionLayer, cityLayer, legend, markers = {};

  function fold(s) {
    return s.replace(/Đ/g, "D").replace(/đ/g, "d").normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  // text escaped by Python's html.escape back to text: its five entities, no DOM needed
  // (a textarea per name cost ~20 ms of a cold load's ~500)
  var ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#x27;": "'"};
  function unescape(s) {
    return s.indexOf("&") < 0 ? s : s.replace(/&(?:amp|lt|gt|quot|#x27);/g, function (e) {
      return ENTITIES[e];
    });
  }

  function siteShown(s) {
    return state.countries.indexOf(s.country) >= 0 && state.kinds.indexOf(s.kind) >= 0 &&
      s.sectors.some(function (x) { return state.sectors.indexOf(x) >= 0; }) &&
      (s.opened === null || s.opened <= Math.min(state.yearTo, state.asof || Infinity));
  }

  function buildMap() {
    var st = base.style;
    map = L.map("map", {minZoom: 3, maxZoom: st.maxZoom, maxBounds: [[-90, -180], [90, 180]]});
    map.getContainer().style.background = st.sea;
    map.fitBounds(st.bounds, {animate: false});
    var css = document.createElement("style");
    css.textContent = st.legendCss;
    document.head.appendChild(css);
    L.geoJSON(base.countries, {style: st.land, interactive: false}).addTo(map);
    regionLayer = L.geoJSON(base.regions, {
      style: function (f) { return regionStyle(f.properties.code); },
      pointToLayer: function (f, latlng) { return L.circleMarker(latlng, {radius: 9}); },
      onEachFeature: function (f, layer) {
        layer.on("mouseover", function () { layer.setStyle(st.hover); });
        layer.on("mouseout", function () { layer.setStyle(regionStyle(f.properties.code)); });
        layer.on("click", function () { select(["region", f.properties.code]); });
      }
    }).addTo(map);
    cluster = L.markerClusterGroup({
      showCoverageOnHover: false, spiderfyOnMaxZoom: true,
      maxClusterRadius: function (zoom) { return zoom >= 10 ? st.px - 4 : 36; }
    });
    base.sites.forEach(function (s) {
      var icon = L.divIcon({
        className: "tjv-marker tjv-" + s.kind + (s.approx ? " tjv-approx" : ""),
        html: base.icons[s.icon], iconSize: [st.px, st.px], iconAnchor: [st.px / 2, st.px / 2]
      });
      var m = L.marker([s.lat, s.lon], {icon: icon, keyboard: true});
      m.site = s;
      m.on("click", function () { select(["site", s.id]); });
      markers[s.id] = m;
    });
    cluster.addTo(map);
    cityLayer = L.layerGroup().addTo(map);
    legend = L.control({position: "bottomright"});
    legend.onAdd = function () {
      var d = L.DomUtil.create("div");
      L.DomEvent.disableClickPropagation(d);
      return d;
    };
    legend.addTo(map);
  }

  function regionStyle(code) {
    var selected = state.sel && state.sel[0] === "region" && state.sel[1] === code;
    return selected ? base.style.selected : base.style.region;
  }

  function drawMap() {
    var li = NAME_INDEX[state.lang];
    var shown = base.sites.filter(siteShown);
    cluster.clearLayers();
    cluster.addLayers(shown.map(function (s) {
      var m = markers[s.id];
      m.unbindTooltip().bindTooltip(s.names[li], {direction: "top", offset: [0, -base.style.px / 2]});
      m.options.title = unescape(s.names[li]);
      return m;
    }));
    var regions = 0;
    regionLayer.eachLayer(function (layer) {
      var p = layer.feature.properties;
      var on = state.countries.indexOf(p.country) >= 0;
      regions += on ? 1 : 0;
      layer.setStyle(on ? regionStyle(p.code) : {opacity: 0, fillOpacity: 0});
      layer.unbindTooltip();
      if (on) layer.bindTooltip(p.names[li], {sticky: true});
    });
    cityLayer.clearLayers();
    var cities = base.cities.filter(function (c) { return state.countries.indexOf(c.country) >= 0; });
    cities.forEach(function (c) {
      L.circleMarker([c.lat, c.lon], {radius: 4, color: "#1a1a1a", weight: 1.5, fillColor: "#ffffff",
        fillOpacity: 1}).bindTooltip(c.names[li], {direction: "right", offset: [6, 0]}).addTo(cityLayer);
    });
    var small = map.getContainer().clientWidth < 480 || kiosk.on;
    legend.getContainer().innerHTML = T["lang-" + state.lang].legend.replace(" open>", small ? ">" : " open>");
    setText("counts", text("map.counts", {sites: shown.length, regions: regions, cities: cities.length}));
    setText("embed-source", text("static.note"));
    ["in", "out"].forEach(function (which) {  // Leaflet titles its buttons in English
      var b = map.getContainer().querySelector(".leaflet-control-zoom-" + which);
      if (b) { b.title = text("map.zoom_" + which); b.setAttribute("aria-label", b.title); }
    });
  }

  function filterBoxes() {
    [["f-country", "countries", base.vocab.countries, "country.", "sidebar.countries"],
     ["f-sector", "sectors", base.vocab.sectors, "sector.", "sidebar.sectors"],
     ["f-kind", "kinds", base.vocab.kinds, "kind.", "sidebar.kinds"]].forEach(function (f) {
      var box = byId(f[0]);
      box.querySelector("legend").textContent = text(f[4]);
      box.querySelectorAll("label").forEach(function (l) { l.remove(); });
      f[2].forEach(function (value) {
        var label = document.createElement("label");
        var input = document.createElement("input");
        input.type = "checkbox";
        input.value = value;
        input.checked = state[f[1]].indexOf(value) >= 0;
        input.addEventListener("change", function () {
          state[f[1]] = f[2].filter(function (v) {
            return box.querySelector('input[value="' + v + '"]').checked;
          });
          writeUrl();
          drawMap();
        });
        label.appendChild(input);
        label.appendChild(document.createTextNode(" " + text(f[3] + value)));
        box.appendChild(label);
      });
    });
    setText("filters-title", text("sidebar.filters"));
    byId("f-years").querySelector("legend").textContent = text("sidebar.years");
    [["year-from", "yearFrom"], ["year-to", "yearTo"]].forEach(function (y) {
      var input = byId(y[0]);
      input.min = base.years[0];
      input.max = base.years[1];
      input.value = state[y[1]];
      input.onchange = function () {
        var v = parseInt(input.value, 10);
        if (v >= base.years[0] && v <= base.years[1]) state[y[1]] = v;
        input.value = state[y[1]];
        writeUrl();
        drawMap();
      };
    });
  }

  function showDetails() {
    var box = byId("details");
    if (!state.sel) {
      box.innerHTML = "";
      var p = document.createElement("p");
      p.id = "hint";
      p.textContent = text("map.click_hint");
      box.appendChild(p);
      return;
    }
    var key = state.sel[0] === "site" ? state.sel[1] : "region:" + state.sel[1];
    if (!detailsFile.hasOwnProperty(key)) {
      notices.push("sel");
      state.sel = null;
      chrome();
      return showDetails();
    }
    var file = "details-" + state.lang + "-" + detailsFile[key];
    var lang = state.lang;
    loadScript(file, function () {
      var now = state.sel && (state.sel[0] === "site" ? state.sel[1] : "region:" + state.sel[1]);
      if (now !== key || state.lang !== lang) return;  // another choice came meanwhile
      box.innerHTML = T[file][key];  // built and escaped in Python
    });
  }

  function select(choice) {
    state.sel = choice;
    document.body.classList.toggle("selected", !!choice);
    writeUrl();
    regionLayer.eachLayer(function (layer) {
      if (state.countries.indexOf(layer.feature.properties.country) >= 0) {
        layer.setStyle(regionStyle(layer.feature.properties.code));
      }
    });
    showDetails();
  }

  function rank(query, names) {
    if (!names.some(function (n) { return n.indexOf(query) >= 0; })) return null;
    var aliases = [];
    names.forEach(function (n) {
      (n.match(/\(([^()]+)\)/g) || []).forEach(function (a) { aliases.push(a.slice(1, -1).trim()); });
    });
    if (names.indexOf(query) >= 0 || aliases.indexOf(query) >= 0) return 0;
    if (names.some(function (n) { return n.indexOf(query) === 0; })) return 1;
    if (names.some(function (n) {
      return n.split(/[\s\-–(),/·]+/).some(function (w) { return w.indexOf(query) === 0; });
    })) return 2;
    return 3;
  }

  function natural(a, b) {
    return fold(unescape(a)).localeCompare(fold(unescape(b)), undefined, {numeric: true});
  }

  function runSearch() {
    var q = fold(byId("search").value);
    var list = byId("results");
    list.innerHTML = "";
    if (!q || !T.search) return;  // search.js calls this again once it is in
    var hits = [];
    T.search.forEach(function (e) {
      var r = rank(q, e.folded);
      if (r === null) return;
      hits.push({r: r, k: r === 0 && e.kind === "organisation" ? -1 : KIND_ORDER[e.kind], e: e});
    });
    hits.sort(function (a, b) { return a.r - b.r || a.k - b.k || natural(a.e.names[0], b.e.names[0]); });
    if (!hits.length) {
      var li = document.createElement("li");
      li.textContent = text("map.search_none", {query: byId("search").value});
      list.appendChild(li);
    }
    hits.slice(0, 10).forEach(function (h) {
      var li = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = unescape(h.e.names[NAME_INDEX[state.lang]] || h.e.names[0]);
      button.addEventListener("click", function () {
        var e = h.e;
        var choice = e.kind === "site" ? ["site", e.id] : e.kind === "region" ? ["region", e.id]
          : e.site ? ["site", e.site] : e.region ? ["region", e.region] : null;
        if (e.lat !== null) map.setView([e.lat, e.lon], e.kind === "region" ? 7 : 11, {animate: false});
        if (choice) select(choice);
      });
      li.appendChild(button);
      list.appendChild(li);
    });
  }

  function renderMap() {
    chrome();
    map.invalidateSize({pan: false});  // embed and kiosk layouts resize the map's box
    setText("title", text("app.title"));
    document.title = text("app.title");
    setText("search-label", text("map.search"));
    byId("search").placeholder = text("map.search_placeholder");
    filterBoxes();
    drawMap();
    showDetails();
    runSearch();
    writeUrl();
  }

  /* ---------------------------------------------------------------- kiosk tour */
  // Plays data/tour.csv: each step moves the map to its places and shows its caption
  // (worded and escaped in Python). A touch pauses it and lets the visitor explore; after
  // `idle` seconds without a touch it starts again from the first step.
  var reducedMotion = window.matchMedia && matchMedia("(prefers-reduced-motion: reduce)").matches;

  function showStep(i) {
    var steps = base.tour;
    kiosk.step = (i + steps.length) % steps.length;
    var step = steps[kiosk.step];
    var bounds = L.latLngBounds(step.bounds);
    var options = {maxZoom: 10, padding: [40, 40]};
    if (reducedMotion) map.fitBounds(bounds, options);
    else map.flyToBounds(bounds, Object.assign({duration: 1.2}, options));
    select(step.sel);
    document.body.classList.remove("selected");  // the step's highlight, not a visitor's pick
    renderTour();
  }

  function renderTour() {
    var step = base.tour[kiosk.step];
    byId("tour-caption").innerHTML = T["lang-" + state.lang].tour[step.id];  // escaped in Python
    setText("tour-title", text("kiosk.title"));
    setText("tour-step", text("kiosk.step", {n: kiosk.step + 1, total: base.tour.length}));
    var play = byId("tour-play");
    play.textContent = kiosk.playing ? "❚❚" : "▶";
    play.setAttribute("aria-label", text(kiosk.playing ? "kiosk.pause" : "kiosk.play"));
    play.setAttribute("aria-pressed", String(kiosk.playing));
    byId("tour-prev").setAttribute("aria-label", text("kiosk.previous"));
    byId("tour-next").setAttribute("aria-label", text("kiosk.next"));
    var paused = byId("tour-paused");
    paused.hidden = kiosk.playing;
    paused.textContent = text("kiosk.paused", {seconds: kiosk.idle});
    var langs = byId("tour-langs");
    if (!langs.children.length) {
      Object.keys(LANGS).forEach(function (code) {
        var b = document.createElement("button");
        b.type = "button";
        b.lang = code.replace("_", "-");
        b.textContent = LANGS[code];
        b.addEventListener("click", function () {
          state.lang = code;
          loadLanguage(code, function () { renderMap(); renderTour(); });
        });
        langs.appendChild(b);
      });
    }
    langs.querySelectorAll("button").forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.lang === state.lang.replace("_", "-")));
    });
  }

  function schedule() {
    clearTimeout(kiosk.timer);
    if (kiosk.playing) kiosk.timer = setTimeout(function () { showStep(kiosk.step + 1); schedule(); }, kiosk.dwell * 1000);
  }

  function play() {
    kiosk.playing = true;
    document.body.classList.remove("exploring");
    clearTimeout(kiosk.idleTimer);
    renderTour();
    schedule();
  }

  function pause() {
    kiosk.playing = false;
    document.body.classList.add("exploring");
    schedule();
    renderTour();
  }

  function restart() {
    state.sel = null;
    showDetails();
    showStep(0);
    play();
  }

  function touched(event) {
    if (event.target.closest && event.target.closest("#tour-langs, #tour-play")) return;
    if (kiosk.playing) pause();
    clearTimeout(kiosk.idleTimer);
    kiosk.idleTimer = setTimeout(restart, kiosk.idle * 1000);
  }

  function startKiosk() {
    ["pointerdown", "wheel", "keydown", "touchstart"].forEach(function (type) {
      document.addEventListener(type, touched, {capture: true, passive: true});
    });
    byId("tour-play").addEventListener("click", function () {
      if (kiosk.playing) { pause(); touched({target: document.body}); } else play();
    });
    byId("tour-next").addEventListener("click", function () { showStep(kiosk.step + 1); });
    byId("tour-prev").addEventListener("click", function () { showStep(kiosk.step - 1); });
    document.addEventListener("keydown", function (e) {
      if (e.key === "ArrowRight") showStep(kiosk.step + 1);
      if (e.key === "ArrowLeft") showStep(kiosk.step - 1);
    });
    showStep(0);
    play();
  }

  /* ---------------------------------------------------------------- chart pages */
  // ic: one panel per indicator (filtered by country); timeline, flows: one figure of
  // every country and each record with its sources, as prepared in Python
  var CHART_TITLES = {ic: "ic.title", timeline: "timeline.title", flows: "flows.title"};

  function renderCharts() {
    chrome();
    setText("title", text(CHART_TITLES[page]));
    document.title = text(CHART_TITLES[page]);
    setText("intro", page === "ic" ? text("ic.intro") : "");
    var box = byId("panels");
    box.innerHTML = "";
    var shown = T[chartsFile(state.lang)][page].filter(function (p) {
      return (!state.chart || p.id === state.chart) &&
        p.countries.some(function (c) { return state.countries.indexOf(c) >= 0; });
    });
    if (state.chart && !shown.length) {
      notices.push("chart");
      state.chart = null;
      return renderCharts();
    }
    shown.forEach(function (p) {
      var section = document.createElement("section");
      section.className = "panel";
      section.id = "panel-" + p.id;
      var plot = document.createElement("div");
      plot.className = "plot";
      section.appendChild(plot);
      var sources = document.createElement("details");
      sources.innerHTML = "<summary></summary>" + p.sources;  // escaped in Python
      sources.querySelector("summary").textContent = text("chart.sources");
      section.appendChild(sources);
      if (p.records.length) {
        var records = document.createElement("div");
        records.className = "records";
        records.innerHTML = p.records.join("");  // escaped in Python
        section.appendChild(records);
      }
      box.appendChild(section);
      // the same config as the live app's charts, in the language (charts.plotly_config)
      Plotly.newPlot(plot, p.figure.data, p.figure.layout, T["lang-" + state.lang].plotly);
    });
    if (!shown.length) {
      var none = document.createElement("p");
      none.textContent = text("chart.no_points");
      box.appendChild(none);
    }
    writeUrl();
  }

  /* ---------------------------------------------------------------- text pages */
  function renderText() {
    chrome();
    var title = text(page + ".title");
    setText("title", title);
    document.title = title;
    var box = byId("content");
    if (page === "data") {
      setText("intro", text("static.data_intro"));
      var list = document.createElement("ul");
      list.className = "tables";
      base.tables.forEach(function (table) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = table.file;
        link.setAttribute("download", table.name.split("/").pop());
        link.textContent = text("data.download", {name: table.name});
        item.appendChild(link);
        item.appendChild(document.createTextNode(" · " + text("static.rows", {n: table.rows})));
        list.appendChild(item);
      });
      box.innerHTML = "";
      box.appendChild(list);
      writeUrl();
    } else {
      setText("intro", text("about.body"));
      loadScript("about-" + state.lang, function () {
        box.innerHTML = T["about-" + state.lang];  // escaped in Python
        writeUrl();
      });
    }
  }

  /* ---------------------------------------------------------------- place profile */
  // one region: a picker of every region, its details and what the live page adds (flows
  // in and out, indicators: prepared in Python), and links to its neighbours
  function renderPlace() {
    chrome();
    writeUrl();
    var li = NAME_INDEX[state.lang], code = state.place, lang = state.lang;
    function label(c) { return unescape(REGIONS[c].names[li]) + " (" + c + ")"; }
    setText("title", label(code));
    document.title = label(code) + " · " + text("nav.places");
    var box = byId("content");
    box.innerHTML = "";
    var pickLabel = document.createElement("label");
    pickLabel.textContent = text("places.pick") + " ";
    var pick = document.createElement("select");
    pick.id = "place";
    Object.keys(REGIONS).forEach(function (c) { pick.add(new Option(label(c), c)); });
    pick.value = code;
    pick.addEventListener("change", function () { state.place = pick.value; renderPlace(); });
    pickLabel.appendChild(pick);
    box.appendChild(pickLabel);
    var profile = document.createElement("div");
    profile.id = "profile";
    box.appendChild(profile);
    var near = document.createElement("section");
    near.id = "neighbours";
    var heading = document.createElement("h2");
    heading.textContent = text("places.neighbours");
    near.appendChild(heading);
    REGIONS[code].neighbours.filter(function (c) { return REGIONS[c]; }).forEach(function (c) {
      var a = document.createElement("a");
      a.href = "places.html?" + navQuery + "&id=" + encodeURIComponent(c);
      a.textContent = label(c);
      near.appendChild(a);
      near.appendChild(document.createTextNode(" "));
    });
    box.appendChild(near);
    var key = "region:" + code, file = "details-" + lang + "-" + detailsFile[key];
    loadScript(file, function () {
      loadScript("places-" + lang, function () {
        if (state.place !== code || state.lang !== lang) return;  // another choice came
        profile.innerHTML = T[file][key] + T["places-" + lang][code];  // escaped in Python
        profile.querySelector("h2").remove();  // the page's title names the region
      });
    });
  }

  var render = page === "map" ? renderMap : CHART_TITLES[page] ? renderCharts
    : page === "places" ? renderPlace : renderText;
  // the layout first, so the map is sized once; then the language file is asked for, and
  // the map's layers, which need no words, are built while it comes
  if (state.embed) document.body.classList.add("embed");
  if (kiosk.on) document.body.classList.add("kiosk");
  var languageReady = false, mapReady = page !== "map";
  function start() {
    if (!languageReady || !mapReady) return;
    render();
    if (page !== "map") return;
    if (kiosk.on && base.tour.length) startKiosk();
    // the search index, once the map is drawn (at 10,000 places it is 4 MB); a search
    // typed before it is in runs when it comes
    loadScript("search", runSearch);
  }
  loadLanguage(state.lang, function () { languageReady = true; start(); });
  if (page === "map") {
    buildMap();
    byId("search").addEventListener("input", runSearch);
    mapReady = true;
    start();
  }
})();
