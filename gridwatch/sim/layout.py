"""``random_scene``: draw a camera, a street and the objects in it from a random generator.

``randomise=False`` gives an ordinary daytime CCTV view (what the scenario clips use);
``randomise=True`` widens every range (mounting, lens, textures, dusk and night, blur) for
training data. Objects are placed only where they project fully inside the frame at a size a
320 px detector can see (covers about 26-64 px wide at 640 px frame width); ids are numbered
largest first, so ``cover-0`` is the most visible cover.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from gridwatch.sim.backdrop import BackdropSpec
from gridwatch.sim.camera import Camera, CameraPose, PlaneFrame, visible_plane
from gridwatch.sim.ground import GroundSpec, Stain
from gridwatch.sim.lighting import LightingSpec
from gridwatch.sim.passersby import Walker
from gridwatch.sim.placement import Placer
from gridwatch.sim.props import CoverPattern, CoverSpec, SoilSpec
from gridwatch.sim.spec import SceneSpec
from gridwatch.sim.textures import Colour

FAR_CAP_M = 35.0
PATTERNS: tuple[CoverPattern, ...] = ("rings", "grid", "radial", "studs", "plain")


def _u(rng: np.random.Generator, lo: float, hi: float) -> float:
    return float(rng.uniform(lo, hi))


def _seed(rng: np.random.Generator) -> int:
    return int(rng.integers(0, 2**31 - 1))


def _grey(rng: np.random.Generator, lo: float, hi: float, jitter: float = 6.0) -> Colour:
    g = _u(rng, lo, hi)
    b, gg, r = (g + _u(rng, -jitter, jitter) for _ in range(3))
    return (b, gg, r)


def _pose(rng: np.random.Generator, width: int, height: int, randomise: bool) -> CameraPose:
    """A mounting from which a 0.75 m cover near the bottom of the frame is at least 34 px wide."""
    scale = width / 640.0
    wide = {"h": (4, 11), "pitch": (22, 60), "yaw": (-20, 20), "roll": (-4, 4), "hfov": (45, 85)}
    usual = {"h": (5, 8), "pitch": (32, 50), "yaw": (-10, 10), "roll": (-1.5, 1.5), "hfov": (52, 72)}
    ranges = wide if randomise else usual
    for _ in range(200):
        pose = CameraPose(
            height_m=_u(rng, *ranges["h"]),
            pitch_deg=_u(rng, *ranges["pitch"]),
            yaw_deg=_u(rng, *ranges["yaw"]),
            roll_deg=_u(rng, *ranges["roll"]),
            hfov_deg=_u(rng, *ranges["hfov"]),
            width=width,
            height=height,
        )
        camera = Camera(pose)
        bottom = camera.image_to_ground(np.array([[width / 2, height * 0.92]]))[0]
        depth = float(camera.depth(np.array([[bottom[0], bottom[1], 0.0]]))[0])
        if camera.focal * 0.75 / depth >= 34 * scale:
            return pose
    raise RuntimeError("could not find a camera pose that shows covers large enough")


def _ground(rng: np.random.Generator, randomise: bool, seed: int) -> GroundSpec:
    side = 1 if rng.random() < 0.5 else -1
    kerb = _u(rng, -3, 3)
    lane_w = _u(rng, 3.0, 3.75)
    pavings: list[Colour] = [(170, 172, 175), (140, 165, 185), (100, 110, 160), (120, 122, 125)]
    base = pavings[int(rng.integers(len(pavings)))]
    paving = tuple(c + _u(rng, -18, 18) for c in base)
    yellow = rng.random() < 0.3
    lane: Colour = (40.0, 190.0, 215.0) if yellow else _grey(rng, 200, 235, 4)
    return GroundSpec(
        kerb_x_m=kerb,
        road_side=side,
        asphalt=_grey(rng, 55, 115) if randomise else _grey(rng, 65, 100),
        paving=(paving[0], paving[1], paving[2]),
        tile_m=_u(rng, 0.25, 0.6),
        kerb_colour=_grey(rng, 140, 200),
        lane_xs_m=tuple(kerb + side * lane_w * k for k in (1, 2, 3)),
        lane_colour=lane,
        dash_m=(_u(rng, 2, 4), _u(rng, 3, 7)),
        n_cracks=int(rng.integers(0, 16) if randomise else rng.integers(3, 9)),
        stains=(),
        texture_seed=seed,
    )


def _stains(rng: np.random.Generator, placer: Placer, count: int) -> tuple[Stain, ...]:
    stains = []
    for _ in range(count):
        xy = placer.random_ground_point(rng)
        if xy is None:
            continue
        radii = (_u(rng, 0.2, 1.2), _u(rng, 0.15, 0.8))
        stains.append(Stain(xy, radii, _u(rng, 0, 180), _u(rng, 0.12, 0.42)))
    return tuple(stains)


def _backdrop(rng: np.random.Generator, camera: Camera, seed: int) -> BackdropSpec:
    return BackdropSpec(
        sky_top=(_u(rng, 170, 230), _u(rng, 150, 200), _u(rng, 120, 170)),
        sky_bottom=_grey(rng, 190, 235),
        facade=_grey(rng, 90, 190, 15),
        window=(_u(rng, 60, 120), _u(rng, 60, 110), _u(rng, 50, 100)),
        storey_px=max(4.0, camera.focal * 3.0 / FAR_CAP_M),
        texture_seed=seed,
    )


def _lighting(rng: np.random.Generator, randomise: bool, seed: int) -> LightingSpec:
    mode = rng.choice(["day", "dusk", "night"], p=[0.55, 0.25, 0.2]) if randomise else "day"
    if mode == "day":
        base, tinted, lamps, noise = _u(rng, 0.85, 1.15), (1.0, 1.0, 1.0), 0, _u(rng, 1.5, 4)
    elif mode == "dusk":
        base, tinted, lamps, noise = (
            _u(rng, 0.6, 0.8),
            (0.85, 1.0, 1.12),
            int(rng.integers(0, 3)),
            _u(rng, 3, 6),
        )
    else:  # night: camera auto-gain keeps it visible but noisy
        base, tinted, lamps, noise = (
            _u(rng, 0.45, 0.65),
            (1.15, 1.0, 0.9),
            int(rng.integers(0, 3)),
            _u(rng, 5, 10),
        )
    jitter = 0.06 if randomise else 0.03
    gain = tuple(base * t * (1 + _u(rng, -jitter, jitter)) for t in tinted)
    trees = rng.random() < 0.5
    return LightingSpec(
        gain=(gain[0], gain[1], gain[2]),
        gamma=_u(rng, 0.85, 1.15) if randomise else 1.0,
        drift_amp=_u(rng, 0.02, 0.12),
        drift_period_s=_u(rng, 20, 90),
        cloud_strength=_u(rng, 0.0, 0.35),
        cloud_speed_px_s=_u(rng, 1, 8),
        tree_strength=_u(rng, 0.15, 0.45) if trees else 0.0,
        tree_sway_px=_u(rng, 1, 6),
        tree_period_s=_u(rng, 2, 6),
        lamps=lamps,
        noise_sigma=noise,
        texture_seed=seed,
    )


def _cover(rng: np.random.Generator, centre: tuple[float, float], seed: int) -> CoverSpec:
    """A cover of random size, shape and pattern (coloured later by ``_paint_covers``)."""
    round_ = rng.random() < 0.75
    metal = _grey(rng, 60, 135, 5)
    return CoverSpec(
        id="",
        centre_m=centre,
        size_m=_u(rng, 0.6, 0.9) if round_ else _u(rng, 0.5, 0.8),
        shape="round" if round_ else "square",
        pattern=PATTERNS[int(rng.integers(len(PATTERNS)))],
        colour=metal,
        rim_colour=metal,
        rotation_deg=_u(rng, -30, 30),
        texture_seed=seed,
    )


def _surface_grey(ground: GroundSpec, x_m: float) -> float:
    on_road = x_m < ground.kerb_x_m if ground.road_side < 0 else x_m > ground.kerb_x_m
    return float(np.mean(ground.asphalt if on_road else ground.paving))


def _paint_covers(
    rng: np.random.Generator, covers: tuple[CoverSpec, ...], ground: GroundSpec
) -> tuple[CoverSpec, ...]:
    """Cast iron that stands out from the surface it sits in (by 30-75 grey levels), with a
    frame ring lighter or darker again; some covers rusty."""
    painted = []
    for cover in covers:
        surface = _surface_grey(ground, cover.centre_m[0])
        sign = 1.0 if surface < 80 else -1.0 if surface > 150 else float(rng.choice([-1.0, 1.0]))
        grey = float(np.clip(surface + sign * _u(rng, 30, 75), 55, 210))
        metal = _grey(rng, grey, grey, 4)
        if rng.random() < 0.3:
            metal = (metal[0] - 12, metal[1], metal[2] + 14)  # rusty
        rim = float(np.clip(grey + float(rng.choice([-1.0, 1.0])) * _u(rng, 20, 45), 20, 230))
        painted.append(replace(cover, colour=metal, rim_colour=(rim, rim, rim)))
    return tuple(painted)


def _soil(rng: np.random.Generator, centre: tuple[float, float], seed: int) -> SoilSpec:
    radius, aspect, turn = _u(rng, 0.7, 1.8), _u(rng, 0.55, 1.0), _u(rng, 0, np.pi)
    a = np.linspace(0, 2 * np.pi, 24, endpoint=False)
    wobble = 1 + sum(0.07 * np.sin(k * a + _u(rng, 0, 6.3)) for k in (2, 3, 5))
    x, y = radius * wobble * np.cos(a), radius * aspect * wobble * np.sin(a)
    xr, yr = x * math.cos(turn) - y * math.sin(turn), x * math.sin(turn) + y * math.cos(turn)
    outline = tuple((centre[0] + float(px), centre[1] + float(py)) for px, py in zip(xr, yr, strict=True))
    red = _u(rng, 85, 150)
    return SoilSpec(
        id="",
        outline_m=outline,
        colour=(red * _u(rng, 0.38, 0.6), red * _u(rng, 0.62, 0.82), red),
        net_colour=(_u(rng, 25, 75), _u(rng, 95, 175), _u(rng, 15, 60)),
        net_period_m=_u(rng, 0.03, 0.08),
        net_angle_deg=_u(rng, 0, 90),
        net_tint=_u(rng, 0.35, 0.7),
        texture_seed=seed,
    )


def _walkers(rng: np.random.Generator, placer: Placer, count: int) -> tuple[Walker, ...]:
    walkers = []
    bounds = placer.ground_bounds()
    for _ in range(count):
        xy = placer.random_ground_point(rng)
        if xy is None:
            continue
        speed = _u(rng, 0.7, 1.6) * (1 if rng.random() < 0.5 else -1)
        along = rng.random() < 0.7
        velocity = (_u(rng, -0.1, 0.1), speed) if along else (speed, _u(rng, -0.1, 0.1))
        skin = (_u(rng, 90, 170), _u(rng, 120, 190), _u(rng, 160, 225))
        walkers.append(
            Walker(
                xy,
                velocity,
                bounds,
                _u(rng, 1.5, 1.9),
                _grey(rng, 20, 200, 40),
                _grey(rng, 15, 120, 20),
                skin,
                _u(rng, 0, 6.3),
            )
        )
    return tuple(walkers)


def _plane(camera: Camera) -> PlaneFrame:
    """The ground raster, at about the image resolution of the nearest visible ground."""
    w, h = camera.pose.width, camera.pose.height
    near = camera.image_to_ground(np.array([[w / 2, h]]))[0]
    depth = float(camera.depth(np.array([[0.0, near[1], 0.0]]))[0])
    return visible_plane(camera, FAR_CAP_M, ppm=float(np.clip(camera.focal / depth, 30, 90)), max_px=1600)


def _count(rng: np.random.Generator, asked: int | None, lo: int, hi: int) -> int:
    return asked if asked is not None else int(rng.integers(lo, hi + 1))


def random_scene(
    rng: np.random.Generator,
    width: int = 640,
    height: int = 360,
    *,
    randomise: bool = True,
    n_covers: int | None = None,
    n_soil: int | None = None,
    n_walkers: int | None = None,
) -> SceneSpec:
    """Draw one scene. Counts left as ``None`` are random; fewer objects than asked are placed
    only when the view has no room (``RuntimeError`` if not even one cover/patch fits)."""
    seed = _seed(rng)
    pose = _pose(rng, width, height, randomise)
    camera = Camera(pose)
    plane = _plane(camera)
    placer = Placer(camera, plane)
    ground = replace(
        _ground(rng, randomise, _seed(rng)),
        stains=_stains(rng, placer, _count(rng, None, 0, 5 if randomise else 2)),
    )
    covers = placer.place_covers(
        rng,
        [_cover(rng, (0.0, 0.0), _seed(rng)) for _ in range(_count(rng, n_covers, 1, 4 if randomise else 3))],
    )
    soils = placer.place_soils(
        rng,
        [_soil(rng, (0.0, 0.0), _seed(rng)) for _ in range(_count(rng, n_soil, 0, 3 if randomise else 1))],
    )
    if (n_covers and not covers) or (n_soil and not soils):
        raise RuntimeError("could not place the requested objects in this view")
    spec = SceneSpec(
        seed=seed,
        width=width,
        height=height,
        pose=pose,
        plane=plane,
        ground=ground,
        backdrop=_backdrop(rng, camera, _seed(rng)),
        lighting=_lighting(rng, randomise, _seed(rng)),
        covers=covers,
        soils=soils,
        walkers=_walkers(rng, placer, _count(rng, n_walkers, 0, 5 if randomise else 3)),
        blur_sigma=_u(rng, 0.0, 1.2) if randomise else _u(rng, 0.3, 0.7),
    )
    return replace(spec, covers=_paint_covers(rng, covers, ground))
